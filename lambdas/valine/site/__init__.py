"""The site: what every agent reads from the team's repository and the rules for what it may write there."""
