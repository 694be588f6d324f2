/**
 * A small dental practice's website, as a real one is built: structured data on the home page,
 * hours, services with prices, an about page with common questions, and a contact page, all
 * linked from one menu. Constant text: nothing here comes from a request.
 */

const NAME = 'Maple Street Dental';
const PHONE = '(217) 555-0148';
const ADDRESS = '214 Maple Street, Suite 3, Springfield, IL 62704';

/** schema.org data the analyzer reads first, as practices' site builders emit it. */
const STRUCTURED_DATA = {
  '@context': 'https://schema.org',
  '@type': 'Dentist',
  name: NAME,
  description: 'Family and cosmetic dentistry in Springfield: checkups, cleanings, fillings, whitening and same-day emergency visits.',
  telephone: '+1 217-555-0148',
  email: 'hello@maplestreetdental.example',
  address: { '@type': 'PostalAddress', streetAddress: '214 Maple Street, Suite 3', addressLocality: 'Springfield', addressRegion: 'IL', postalCode: '62704' },
  openingHoursSpecification: [
    { '@type': 'OpeningHoursSpecification', dayOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday'], opens: '08:00', closes: '17:00' },
    { '@type': 'OpeningHoursSpecification', dayOfWeek: 'Friday', opens: '08:00', closes: '14:00' },
    { '@type': 'OpeningHoursSpecification', dayOfWeek: 'Saturday', opens: '09:00', closes: '13:00' },
  ],
};

const MENU: Array<[path: string, label: string]> = [
  ['./', 'Home'],
  ['hours', 'Office hours'],
  ['services', 'Services & prices'],
  ['about', 'About us & FAQ'],
  ['contact', 'Contact'],
];

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1f2933}header,main,footer{max-width:760px;margin:0 auto;padding:16px}
header{border-bottom:1px solid #d9e2ec}nav a{margin-right:14px;color:#0b5cad}h1{color:#0b3d6b}table{border-collapse:collapse}
td,th{padding:4px 12px 4px 0;text-align:left}footer{color:#52606d;font-size:14px;border-top:1px solid #d9e2ec}`;

function layout(title: string, body: string, head = ''): string {
  const menu = MENU.map(([href, label]) => `<a href="${href}">${label}</a>`).join(' ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <style>${STYLE}</style>${head}
</head>
<body>
  <header><strong>${NAME}</strong><nav aria-label="Site">${menu}</nav></header>
  <main>
${body}
  </main>
  <footer>${NAME} · ${ADDRESS} · <a href="tel:+12175550148">${PHONE}</a></footer>
</body>
</html>
`;
}

const HOME = layout(
  `${NAME} | Family dentist in Springfield, IL`,
  `    <h1>${NAME}</h1>
    <p>Family and cosmetic dentistry in Springfield. New patients welcome; most PPO insurance accepted.</p>
    <p>Call <a href="tel:+12175550148">${PHONE}</a> or visit us at ${ADDRESS}.</p>
    <p>Dental emergency? We keep same-day slots every weekday morning.</p>`,
  `\n  <meta name="description" content="${STRUCTURED_DATA.description}">\n  <script type="application/ld+json">${JSON.stringify(STRUCTURED_DATA)}</script>`,
);

const HOURS = layout(
  `Office hours | ${NAME}`,
  `    <h1>Office hours</h1>
    <p>Monday - Thursday: 8:00 AM - 5:00 PM</p>
    <p>Friday: 8:00 AM - 2:00 PM</p>
    <p>Saturday: 9:00 AM - 1:00 PM</p>
    <p>Sunday: Closed</p>
    <p>We are closed on public holidays. Emergency line after hours: ${PHONE}, option 9.</p>`,
);

const SERVICES = layout(
  `Services & prices | ${NAME}`,
  `    <h1>Services and prices</h1>
    <p>Prices without insurance. We send claims to your insurer for you.</p>
    <table>
      <tr><th>Service</th><th>Price</th></tr>
      <tr><td>New patient exam with X-rays</td><td>$150</td></tr>
      <tr><td>Cleaning and checkup</td><td>$120</td></tr>
      <tr><td>Tooth-colored filling</td><td>from $180</td></tr>
      <tr><td>Teeth whitening (in office)</td><td>$350</td></tr>
      <tr><td>Emergency visit</td><td>$95</td></tr>
      <tr><td>Children's checkup (under 12)</td><td>$80</td></tr>
    </table>`,
);

const ABOUT = layout(
  `About us & FAQ | ${NAME}`,
  `    <h1>About us</h1>
    <p>Dr. Elena Ruiz and Dr. Marcus Webb have cared for Springfield families since 2009.</p>
    <h2>Frequently asked questions</h2>
    <h3>Do you take walk-ins?</h3><p>Yes, for emergencies on weekday mornings. Otherwise please call to book.</p>
    <h3>Do you see children?</h3><p>Yes, from age 3.</p>
    <h3>Which insurance do you accept?</h3><p>Most PPO plans, including Delta Dental, Cigna and MetLife. We do not accept HMO plans.</p>
    <h3>Is there parking?</h3><p>Free parking behind the building; enter from Oak Avenue.</p>
    <h3>How do I cancel an appointment?</h3><p>Call us at least 24 hours ahead; late cancellations cost $40.</p>`,
);

const CONTACT = layout(
  `Contact | ${NAME}`,
  `    <h1>Contact us</h1>
    <p>${ADDRESS}</p>
    <p>Phone: <a href="tel:+12175550148">${PHONE}</a></p>
    <p>Email: <a href="mailto:hello@maplestreetdental.example">hello@maplestreetdental.example</a></p>
    <p>Book online or call; we answer calls during office hours.</p>`,
);

/** The site's pages by their path under the site's root ('' is the home page). */
export const SAMPLE_SITE_PAGES: ReadonlyMap<string, string> = new Map([
  ['', HOME],
  ['hours', HOURS],
  ['services', SERVICES],
  ['about', ABOUT],
  ['contact', CONTACT],
]);
