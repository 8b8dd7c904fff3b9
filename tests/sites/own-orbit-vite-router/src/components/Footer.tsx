import { siteName } from "@/data/site";

export default function Footer() {
  return (
    <footer className="border-t border-slate-800 py-10 text-center text-sm text-slate-400">
      <p>
        &copy; {new Date().getFullYear()} {siteName} Labs. Made for teams who ship.
      </p>
      <a href="mailto:hello@orbit.dev" className="text-indigo-400 hover:underline">
        hello@orbit.dev
      </a>
    </footer>
  );
}
