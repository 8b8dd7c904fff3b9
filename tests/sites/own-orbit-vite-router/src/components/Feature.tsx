import type { ReactNode } from "react";

type FeatureProps = {
  title: string;
  children: ReactNode;
};

export function Feature({ title, children }: FeatureProps) {
  return (
    <div className="rounded-xl border border-slate-800 p-6">
      <h3 className="text-lg font-semibold text-white">{title}</h3>
      <p className="mt-2 text-slate-400">{children}</p>
    </div>
  );
}
