import { Link } from "react-router-dom";
import { ArrowRight } from "lucide-react";
import { Feature } from "@/components/Feature";
import styles from "./Home.module.css";

export default function Home() {
  return (
    <>
      <section className={styles.hero}>
        <h1 className="text-5xl font-extrabold tracking-tight">
          Plan projects <span className="text-indigo-400">without the chaos</span>
        </h1>
        <p className="mt-6 max-w-2xl text-lg text-slate-300">
          Orbit brings tasks, timelines and conversations into one calm place, so your team always knows what's next.
        </p>
        <div className="mt-8 flex gap-4">
          <Link to="/pricing" className="inline-flex items-center gap-2 rounded-md bg-indigo-500 px-5 py-3 font-semibold text-white">
            See pricing <ArrowRight className="h-4 w-4" />
          </Link>
          <a href="#features" className="rounded-md border border-slate-700 px-5 py-3 font-semibold">
            Learn more
          </a>
        </div>
      </section>

      <section id="features" className="mx-auto grid max-w-6xl gap-6 px-6 py-20 md:grid-cols-3">
        <Feature title="Timelines">See every milestone on one shared timeline.</Feature>
        <Feature title="Workload">Spot who is overloaded before deadlines slip.</Feature>
        <Feature title="Integrations">Connect GitHub, Slack and Figma in a click.</Feature>
      </section>
    </>
  );
}
