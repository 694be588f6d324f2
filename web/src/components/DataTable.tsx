import type { ReactNode } from 'react';

/**
 * A column heading. `className` marks numeric (`num`) or phone-hidden (`col-optional`,
 * `col-summary`) columns; `hidden` keeps the label for screen readers only (an actions column).
 */
export interface Column {
  label: string;
  className?: string;
  hidden?: boolean;
}

/** The dashboard's tables: headings from one list, sideways scrolling of their own at phone width. */
export function DataTable({ columns, className, children }: { columns: Column[]; className?: string; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className={className ? `calls ${className}` : 'calls'}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={c.className}>
                {c.hidden ? <span className="visually-hidden">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
