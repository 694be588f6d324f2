const base = 'http://127.0.0.1:4790';
const post = (p, b, h = {}) => fetch(base + p, { method: 'POST', headers: { 'content-type': 'application/json', ...h }, body: JSON.stringify(b) });
const email = `p${Date.now()}@example.com`;
await post('/api/auth/register', { name: 'B', email, password: 'benchpass123', organizationName: 'B' });
const csrf = await fetch(base + '/api/auth/csrf'); const cc = csrf.headers.getSetCookie()[0].split(';')[0]; const { csrfToken } = await csrf.json();
const login = await post('/api/auth/callback/credentials', { csrfToken, email, password: 'benchpass123' }, { cookie: cc });
const cookie = login.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token')).split(';')[0];
for (const path of ['/api/health', '/api/assistant-name', '/api/auth/session', '/api/voice']) {
  const t = performance.now();
  for (let i = 0; i < 300; i++) await (await fetch(base + path, { headers: { cookie } })).text();
  console.log(path, ((performance.now() - t) / 300).toFixed(2), 'ms/req sequential');
}
