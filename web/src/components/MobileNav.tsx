import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router';

export interface NavItem {
  to: string;
  label: string;
  end?: boolean;
}

/** A list of page links, each with its badge (the open follow-ups count); `extra` ends the list. */
export function NavLinks({ items, badge, linkClass, extra }: { items: NavItem[]; badge: (to: string) => ReactNode; linkClass: string; extra?: ReactNode }) {
  return (
    <ul>
      {items.map((item) => (
        <li key={item.to}>
          <NavLink to={item.to} end={item.end} className={linkClass}>
            {item.label}
            {badge(item.to)}
          </NavLink>
        </li>
      ))}
      {extra}
    </ul>
  );
}

/** The pages a thumb reaches first on a phone; the rest are behind "More". */
const BAR_PAGES = ['/dashboard', '/dashboard/calls', '/dashboard/follow-ups', '/dashboard/texts'];

/**
 * Phone-width navigation (shown by CSS under 800px): a bottom bar with the most used pages
 * and a "More" button opening a sheet with every other page. The sheet is a modal dialog:
 * focus moves into it and back to the button, Escape or a tap outside closes it.
 */
export function MobileNav({ items, badge }: { items: NavItem[]; badge: (to: string) => ReactNode }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const sheet = useRef<HTMLDivElement>(null);
  const { pathname } = useLocation();
  const bar = items.filter((i) => BAR_PAGES.includes(i.to));
  const more = items.filter((i) => !BAR_PAGES.includes(i.to));
  const inMore = more.some((i) => pathname.startsWith(i.to));

  function close() {
    setOpen(false);
    button.current?.focus();
  }
  // Following a link closes the sheet (the page changed under it).
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (open) sheet.current?.querySelector<HTMLElement>('a, button')?.focus();
  }, [open]);

  // Escape closes; Tab cycles inside the sheet while it is open (it is modal).
  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Escape') return close();
    if (e.key !== 'Tab' || !sheet.current) return;
    const focusable = [...sheet.current.querySelectorAll<HTMLElement>('a, button')];
    const first = focusable[0];
    const last = focusable.at(-1);
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last?.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first?.focus();
    }
  }

  return (
    <div className="mobile-nav">
      {open && <div className="sheet-backdrop" onClick={close} aria-hidden="true" />}
      {open && (
        <div id="more-pages" ref={sheet} className="more-sheet" role="dialog" aria-modal="true" aria-labelledby="more-pages-title" onKeyDown={onKeyDown}>
          <div className="more-sheet-head">
            <h2 id="more-pages-title">More pages</h2>
            <button type="button" className="button button-quiet button-small" onClick={close}>
              Close
            </button>
          </div>
          <nav aria-label="More pages">
            <NavLinks items={more} badge={badge} linkClass="nav-link" />
          </nav>
        </div>
      )}
      <nav className="bottom-bar" aria-label="Main">
        <NavLinks
          items={bar}
          badge={badge}
          linkClass="bottom-link"
          extra={
            <li>
              <button
                ref={button}
                type="button"
                className={`bottom-link${inMore ? ' active' : ''}`}
                aria-expanded={open}
                aria-controls="more-pages"
                onClick={() => (open ? close() : setOpen(true))}
              >
                More
              </button>
            </li>
          }
        />
      </nav>
    </div>
  );
}
