import React from 'react';
import NavBar from '../components/NavBar';
import Header from '../components/Header';
import Footer from '../components/Footer';

export default function Home() {
  return (
    <>
      <NavBar />
      <Header />
      <main className="home">
        <h2 data-ux="home-hero" className="hero">Your stage for creative work</h2>
        <p data-ux="home-description" className="description">
          Showcase projects, find collaborators and get discovered.
        </p>
        <a data-ux="home-cta" className="cta" href="/signup">Join Valine</a>
      </main>
      <Footer />
    </>
  );
}
