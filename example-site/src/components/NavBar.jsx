import React from 'react';
import { Link } from 'react-router-dom';

export default function NavBar() {
  return (
    <nav data-ux="navbar" className="navbar" style={{ backgroundColor: '#0f172a' }}>
      <span data-ux="navbar-brand" className="brand">Valine</span>
      <span data-ux="navbar-text" className="navbar-text">Create. Share. Grow.</span>
      <div data-ux="navbar-links" className="navbar-links">
        <Link to="/">Home</Link>
        <Link to="/discover">Discover</Link>
        <Link to="/profile">Profile</Link>
      </div>
    </nav>
  );
}
