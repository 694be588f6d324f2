export function Logo() {
  return (
    <span className="logo">
      <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
        <rect width="32" height="32" rx="8" fill="var(--accent)" />
        <path d="M9 13v6M13 10v12M17 7v18M21 11v10M25 14v4" stroke="#fff" strokeWidth="2.4" strokeLinecap="round" />
      </svg>
      Epoch Voice
    </span>
  );
}
