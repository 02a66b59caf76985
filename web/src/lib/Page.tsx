import { useEffect, type ReactNode } from "react";

/** A page: its heading (the document title follows it) and, beside it, page-wide actions. */
export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Dewy Resort`;
  }, [title]);
  return (
    <>
      <div className="page-head">
        <h1>{title}</h1>
        {actions && <div className="toolbar">{actions}</div>}
      </div>
      {children}
    </>
  );
}

/** A titled section of a page. */
export function Card({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  const id = `card-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section className={`card ${className ?? ""}`} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
