export default function About() {
  return (
    <div className="mx-auto max-w-3xl px-6 py-20">
      <h1 className="text-4xl font-bold">About us</h1>
      <p className="mt-6 text-slate-300">
        We started Orbit in 2021 because our own projects kept drifting off course.
      </p>
      <img src="/team.jpg" alt="The team at our first offsite" className="mt-10 rounded-xl" />
    </div>
  );
}
