import React from 'react';

export default function Header() {
  return (
    <header data-ux="header" className="site-header" style={{ backgroundColor: '#1f2937', color: '#ffffff' }}>
      <h1 data-ux="header-text">Welcome to Project Valine</h1>
      <nav data-ux="header-links" className="header-links">
        <a href="/">Home</a>
        <a href="/projects">Projects</a>
      </nav>
    </header>
  );
}
