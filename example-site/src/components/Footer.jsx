import React from 'react';

export default function Footer() {
  const year = new Date().getFullYear();
  return (
    <footer data-ux="footer" className="site-footer" style={{ backgroundColor: '#111827' }}>
      <p data-ux="footer-text">© Project Valine</p>
      <small>Built by the Valine team, {year}.</small>
    </footer>
  );
}
