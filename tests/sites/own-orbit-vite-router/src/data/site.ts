export interface NavItem {
  label: string;
  to: string;
}

export const siteName = "Orbit";

export const navItems: NavItem[] = [
  { label: "Home", to: "/" },
  { label: "Pricing", to: "/pricing" },
  { label: "About", to: "/about" },
];

export const faqs = [
  {
    question: "Can I try Orbit for free?",
    answer: "Yes. Every plan starts with a 14-day free trial, no card needed.",
  },
  {
    question: "Can I change plans later?",
    answer: "You can upgrade or downgrade at any time from your settings.",
  },
  {
    question: "Do you offer discounts for non-profits?",
    answer: "Yes, registered non-profits get 50% off any plan.",
  },
] as const;
