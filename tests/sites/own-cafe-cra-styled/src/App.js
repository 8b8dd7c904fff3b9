import Hero from "./components/Hero";
import Footer from "./components/Footer";

function App() {
  return (
    <>
      <Hero />
      <Footer />
    </>
  );
}

export default App;
