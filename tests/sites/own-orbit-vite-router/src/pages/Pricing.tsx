import { faqs } from "@/data/site";

const plans = [
  { name: "Starter", price: "$0", blurb: "For side projects.", cta: "Get started" },
  { name: "Team", price: "$12", blurb: "For growing teams.", cta: "Start free trial" },
  { name: "Business", price: "$29", blurb: "For companies with many projects.", cta: "Contact sales" },
];

export default function Pricing() {
  return (
    <div className="mx-auto max-w-6xl px-6 py-20">
      <h1 className="text-4xl font-bold">Simple, honest pricing</h1>
      <div className="mt-10 grid gap-6 md:grid-cols-3">
        {plans.map((plan) => (
          <div key={plan.name} className="rounded-xl border border-slate-800 p-6">
            <h2 className="text-xl font-semibold">{plan.name}</h2>
            <p className="mt-2 text-3xl font-bold">
              {plan.price}<span className="text-base text-slate-400">/user/month</span>
            </p>
            <p className="mt-2 text-slate-400">{plan.blurb}</p>
            <button className="mt-6 w-full rounded-md bg-indigo-500 py-2 font-semibold">{plan.cta}</button>
          </div>
        ))}
      </div>
      <h2 className="mt-20 text-2xl font-bold">Frequently asked questions</h2>
      <dl className="mt-6 space-y-6">
        {faqs.map((faq) => (
          <div key={faq.question}>
            <dt className="font-semibold">{faq.question}</dt>
            <dd className="mt-1 text-slate-400">{faq.answer}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
