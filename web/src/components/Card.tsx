import type { ReactNode } from 'react';

/** A titled panel; `aside` sits on the title row (a badge, a link). */
export function Card({ title, description, aside, children, id }: { title: string; description?: ReactNode; aside?: ReactNode; children: ReactNode; id?: string }) {
  return (
    <section className="card" aria-labelledby={id && `${id}-title`} id={id}>
      <header className="card-header">
        <div>
          <h2 id={id && `${id}-title`}>{title}</h2>
          {description && <p className="muted">{description}</p>}
        </div>
        {aside}
      </header>
      {children}
    </section>
  );
}
