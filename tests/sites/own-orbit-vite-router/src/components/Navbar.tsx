import { NavLink } from "react-router-dom";
import { navItems, siteName } from "@/data/site";
import { Rocket } from "lucide-react";

export default function Navbar() {
  return (
    <header className="sticky top-0 z-50 border-b border-slate-800 bg-slate-950/80 backdrop-blur">
      <nav className="mx-auto flex max-w-6xl items-center justify-between px-6 py-4">
        <NavLink to="/" className="flex items-center gap-2 text-lg font-bold">
          <Rocket className="h-5 w-5 text-indigo-400" />
          {siteName}
        </NavLink>
        <ul className="flex gap-6 text-sm">
          {navItems.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} className="text-slate-300 hover:text-white">
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
        <a href="https://app.orbit.dev/signup" className="rounded-md bg-indigo-500 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-400">
          Start free trial
        </a>
      </nav>
    </header>
  );
}
