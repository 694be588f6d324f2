import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractFromHtml, mergeExtractions } from '../../src/domain/website-extract.js';
import { hoursFromOpeningHours, hoursFromText, parseDaySpec, parseTimeRange } from '../../src/domain/website-hours.js';
import { findUsAddress, nameFromTitle } from '../../src/domain/website-text.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/websites/${name}`, import.meta.url), 'utf8');
const open = (from: string, to: string) => ({ open: from, close: to, closed: false });
const weekdays = (from: string, to: string) => ({
  monday: open(from, to),
  tuesday: open(from, to),
  wednesday: open(from, to),
  thursday: open(from, to),
  friday: open(from, to),
});
const page = (head: string, body = '') => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
const jsonLd = (value: unknown) => `<script type="application/ld+json">${JSON.stringify(value)}</script>`;

describe('extractFromHtml', () => {
  it('reads a dental office from its JSON-LD, ahead of og:site_name and the page text', () => {
    const { data, sources } = extractFromHtml(fixture('dental/index.html'), 'https://brightsmile.example/');
    expect(data).toEqual({
      businessName: 'Bright Smile Dental',
      businessType: 'dental_office',
      description: 'Family and cosmetic dentistry: cleanings, whitening, implants and emergency care.',
      phone: '+14155550134',
      address: '123 Main St, Suite 100, San Francisco, CA 94102',
      // Friday's two shifts (8–12, 13–15) become one span; 00:00–00:00 is schema.org's "closed".
      hours: { ...weekdays('08:00', '17:00'), friday: open('08:00', '15:00'), sunday: { closed: true } },
      email: 'hello@brightsmile.example',
    });
    expect(new Set(Object.values(sources))).toEqual(new Set(['json-ld']));
  });

  it('lists same-site contact/about/services pages, best first, and nothing else', () => {
    const { links } = extractFromHtml(fixture('dental/index.html'), 'https://brightsmile.example/');
    expect(links).toEqual([
      { url: 'https://brightsmile.example/about', kind: 'about', score: 3 },
      { url: 'https://brightsmile.example/services/', kind: 'services', score: 3 },
      { url: 'https://brightsmile.example/contact-us', kind: 'contact', score: 3 },
    ]);
    const law = extractFromHtml(fixture('law/index.html'), 'https://riveracho.example/').links.map((l) => [l.kind, l.url]);
    expect(law).toEqual([
      ['services', 'https://riveracho.example/practice-areas'],
      ['about', 'https://riveracho.example/attorneys'],
      ['about', 'https://riveracho.example/about-us'],
      ['contact', 'https://riveracho.example/contact'],
    ]);
  });

  it('ranks a path match above an anchor-text match and treats www. as the same site', () => {
    const html = page(
      '',
      `<a href="https://www.acme.example/reach-out">Contact</a><a href="/contact">Write to us</a><a href="https://acme.example.evil.example/contact">x</a>`,
    );
    expect(extractFromHtml(html, 'https://acme.example/').links).toEqual([
      { url: 'https://acme.example/contact', kind: 'contact', score: 2 },
      { url: 'https://www.acme.example/reach-out', kind: 'contact', score: 1 },
    ]);
  });

  it('reads a salon from microdata, keeping nested items to themselves', () => {
    const { data, sources, links } = extractFromHtml(fixture('salon/index.html'), 'https://velvetvine.example/');
    expect(data).toEqual({
      businessName: 'Velvet & Vine Hair Studio',
      businessType: 'salon',
      description: 'A small, friendly salon for cuts, color, balayage and bridal styling.',
      phone: '+15035550187',
      address: '820 NW Glisan Street, Portland, OR 97209',
      hours: {
        tuesday: open('10:00', '19:00'),
        wednesday: open('10:00', '19:00'),
        thursday: open('10:00', '19:00'),
        friday: open('10:00', '19:00'),
        saturday: open('09:00', '17:00'),
      },
      email: 'book@velvetvine.example',
    });
    expect(new Set(Object.values(sources))).toEqual(new Set(['microdata']));
    expect(links.map((l) => l.kind)).toEqual(['services', 'about', 'contact']);
  });

  it('reads a law office that has nothing but text', () => {
    const { data, sources } = extractFromHtml(fixture('law/index.html'), 'https://riveracho.example/');
    expect(data).toEqual({
      businessName: 'Rivera & Cho Law Firm',
      businessType: 'law_office',
      description: 'Rivera & Cho is an Austin law firm helping families with estate planning, probate and real estate closings.',
      phone: '+15125550199', // from the text, not the number inside the <script>
      address: '500 Congress Ave., Suite 1200, Austin, TX 78701',
      hours: { ...weekdays('08:30', '17:30'), sunday: { closed: true } }, // "Saturday: by appointment" is no hours
      email: 'intake@riveracho.example',
    });
    expect(new Set(Object.values(sources))).toEqual(new Set(['text']));
  });

  it('reads a contact page: address split by <br>, hours in a list, the name behind the page title', () => {
    const { data } = extractFromHtml(fixture('dental/contact.html'), 'https://brightsmile.example/contact-us');
    expect(data.businessName).toBe('Bright Smile Dental');
    expect(data.address).toBe('123 Main St, Suite 100, San Francisco, CA 94102');
    expect(data.phone).toBe('+14155550134');
    expect(data.hours).toEqual({
      ...weekdays('08:00', '17:00'),
      friday: open('08:00', '15:00'),
      saturday: { closed: true },
      sunday: { closed: true },
    });
    expect(data.description).toBeNull();
  });

  it('handles JSON-LD lists, several types, string addresses and openingHours strings', () => {
    const html = page(
      jsonLd([
        { '@context': 'https://schema.org', '@type': 'BreadcrumbList', itemListElement: [] },
        {
          '@type': ['LocalBusiness', 'Restaurant'],
          name: "Luigi's",
          telephone: '+1 212 555 0100',
          address: '77 Mulberry Street, New York, NY 10013',
          openingHours: ['Tu-Th 11:30-22:00', 'Fr,Sa 11:30-23:30 Su 12:00-21:00'],
        },
      ]),
    );
    const { data } = extractFromHtml(html, 'https://luigis.example/');
    expect(data.businessType).toBe('restaurant');
    expect(data.phone).toBe('+12125550100');
    expect(data.address).toBe('77 Mulberry Street, New York, NY 10013');
    expect(data.hours).toEqual({
      tuesday: open('11:30', '22:00'),
      wednesday: open('11:30', '22:00'),
      thursday: open('11:30', '22:00'),
      friday: open('11:30', '23:30'),
      saturday: open('11:30', '23:30'),
      sunday: open('12:00', '21:00'),
    });
  });

  it('fills what structured data leaves out from the text, field by field', () => {
    const html = page(
      `<title>Joe's Pizzeria</title>${jsonLd({ '@type': 'LocalBusiness', name: "Joe's" })}`,
      '<p>Call <a href="tel:(718) 555-0123">us</a></p>',
    );
    const { data, sources } = extractFromHtml(html, 'https://joes.example/');
    expect(data).toMatchObject({ businessName: "Joe's", businessType: 'restaurant', phone: '+17185550123' });
    expect(sources).toEqual({ businessName: 'json-ld', businessType: 'text', phone: 'text' });
  });

  it('returns nulls, not guesses, for an empty page', () => {
    const { data, sources, links } = extractFromHtml('<html><body></body></html>', 'https://x.example/');
    expect(Object.values(data).every((v) => v === null)).toBe(true);
    expect(sources).toEqual({});
    expect(links).toEqual([]);
  });
});

describe('mergeExtractions', () => {
  it('lets JSON-LD beat text from an earlier page, and otherwise keeps the earlier page', () => {
    const textPage = extractFromHtml(
      page('<title>Alpha Text Name</title><meta name="description" content="From the text.">', '<p>Call 303-555-0111</p>'),
      'https://alpha.example/contact',
    );
    const structured = extractFromHtml(page(jsonLd({ '@type': 'Dentist', name: 'Alpha Dental' })), 'https://alpha.example/');
    const merged = mergeExtractions([textPage, structured]);
    expect(merged.data).toMatchObject({
      businessName: 'Alpha Dental',
      businessType: 'dental_office',
      description: 'From the text.',
      phone: '+13035550111',
    });
    expect(merged.sources).toEqual({ businessName: 'json-ld', businessType: 'json-ld', description: 'text', phone: 'text' });
    expect(merged.missing).toEqual(['address', 'hours', 'email']);
  });

  it('combines a home page with its about page and reports nothing missing when all is found', () => {
    const home = extractFromHtml(fixture('law/index.html'), 'https://riveracho.example/');
    const about = extractFromHtml(fixture('law/about.html'), 'https://riveracho.example/about-us');
    expect(mergeExtractions([about]).missing).toEqual(['description', 'address', 'hours']);
    const merged = mergeExtractions([home, about]);
    expect(merged.missing).toEqual([]);
    expect(merged.data).toEqual(home.data);
  });

  it('reports every field missing when there are no pages', () => {
    expect(mergeExtractions([]).missing).toEqual(['businessName', 'businessType', 'description', 'phone', 'address', 'hours', 'email']);
  });
});

describe('hours in words', () => {
  it.each([
    ['9am', '5pm', '09:00', '17:00'],
    ['9', '5:30pm', '09:00', '17:30'],
    ['11', '2pm', '11:00', '14:00'],
    ['12', '3 p.m.', '12:00', '15:00'],
    ['7:30 AM', '12:00 PM', '07:30', '12:00'],
    ['09:00', '17:00', '09:00', '17:00'],
    ['9', '5', '09:00', '17:00'],
    ['10 a.m.', 'noon', '10:00', '12:00'],
    ['5pm', 'midnight', '17:00', '24:00'],
  ])('%s–%s → %s–%s', (from, to, open24, close24) => {
    expect(parseTimeRange(from, to)).toEqual({ open: open24, close: close24 });
  });

  it('reads day ranges and lists, wrapping the week', () => {
    expect(parseDaySpec('Mo-Fr')).toEqual(['monday', 'tuesday', 'wednesday', 'thursday', 'friday']);
    expect(parseDaySpec('Tues & Thurs')).toEqual(['tuesday', 'thursday']);
    expect(parseDaySpec('Mon, Wed and Fri')).toEqual(['monday', 'wednesday', 'friday']);
    expect(parseDaySpec('Saturday through Monday')).toEqual(['saturday', 'sunday', 'monday']);
  });

  it('reads the ways people write hours', () => {
    expect(hoursFromText('Mon-Fri 9-5\nSat 10am to noon')).toEqual({ ...weekdays('09:00', '17:00'), saturday: open('10:00', '12:00') });
    expect(hoursFromText('Monday–Sunday: open 24 hours')).toMatchObject({ monday: open('00:00', '23:59'), sunday: open('00:00', '23:59') });
    expect(hoursFromText('Tuesdays & Thursdays: 10am – 6:30pm')).toEqual({
      tuesday: open('10:00', '18:30'),
      thursday: open('10:00', '18:30'),
    });
  });

  it('drops what our shape cannot hold and ignores day words in other prose', () => {
    expect(hoursFromText('Fri 5pm - 2am')).toBeNull(); // overnight
    expect(hoursFromText('We deliver on Sunday mornings. Sat 10:00-14:00')).toEqual({ saturday: open('10:00', '14:00') });
    expect(hoursFromText('Sunday: Closed')).toBeNull(); // closed every day mentioned is no information
    expect(hoursFromOpeningHours(['Mo-Su'])).toBeNull();
  });
});

describe('text helpers', () => {
  it('finds US addresses written in one line or across lines', () => {
    expect(findUsAddress('Visit 42 W. Elm Rd Ste. 3B, Chicago, IL 60610-1234 today')).toBe('42 W. Elm Rd, Ste. 3B, Chicago, IL 60610-1234');
    expect(findUsAddress('1600 Pennsylvania Avenue NW\nWashington, DC 20500')).toBe('1600 Pennsylvania Avenue NW, Washington, DC 20500');
    expect(findUsAddress('Founded in 2009, we serve 3,000 families')).toBeNull();
  });

  it('takes the business name from a title, skipping page names', () => {
    expect(nameFromTitle('Home | Acme Dental – Family Dentist')).toBe('Acme Dental');
    expect(nameFromTitle('Welcome to Bayview Salon')).toBe('Bayview Salon');
    expect(nameFromTitle('Contact Us - Rivera & Cho')).toBe('Rivera & Cho');
  });
});
