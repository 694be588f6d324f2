import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../src/domain/limits';
import { useMutation } from '@tanstack/react-query';
import { api, fieldErrorsOf } from '../api';
import { useSession } from '../auth';
import { Card } from '../components/Card';
import { ConfirmButton } from '../components/ConfirmButton';
import { SecretBox } from '../components/CopyButton';
import { ErrorNote } from '../components/ErrorNote';
import { TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { SaveBar } from '../components/SaveBar';
import { SelectField } from '../components/SelectField';
import { formatDateTime, formatShortDate, humanize } from '../format';
import { useApi, useInvalidate, useIsManager, useTitle } from '../hooks';
import type { ApiKey, CreatedApiKey, MemberList, UserRole } from '../types';
import { DataTable } from '../components/DataTable';

const MEMBERS_PATH = '/api/members';
const KEYS_PATH = '/api/api-keys';
const ROLES: Array<[UserRole, string]> = [
  ['member', 'Member: uses the dashboard'],
  ['admin', 'Admin: also manages settings and people'],
  ['owner', 'Owner: also billing and API keys'],
];

function InviteForm() {
  const invalidate = useInvalidate();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<UserRole>('member');
  const invite = useMutation({
    mutationFn: () => api<{ email: string }>(`${MEMBERS_PATH}/invite`, { method: 'POST', body: { email, role } }),
    onSuccess: () => {
      setEmail('');
      return invalidate(MEMBERS_PATH);
    },
  });
  const errors = fieldErrorsOf(invite.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    invite.mutate();
  };
  return (
    <form onSubmit={onSubmit} className="stack">
      <div className="row">
        <TextField label="Email" type="email" required autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} />
        <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as UserRole)} error={errors.role}>
          {ROLES.map(([r, label]) => (
            <option key={r} value={r}>
              {label}
            </option>
          ))}
        </SelectField>
      </div>
      <SaveBar mutation={{ ...invite, isSuccess: false }} label="Send invitation" disabled={!email} />
      {invite.isSuccess && (
        <p className="note note-success" role="status">
          Invitation sent to {invite.data.email}. The link works once, within 7 days.
        </p>
      )}
    </form>
  );
}

function MemberRow({ member, self, manager }: { member: MemberList['members'][number]; self: boolean; manager: boolean }) {
  const invalidate = useInvalidate();
  const change = useMutation({
    mutationFn: (role: UserRole) => api(`${MEMBERS_PATH}/${member.id}`, { method: 'PATCH', body: { role } }),
    onSettled: () => invalidate(MEMBERS_PATH),
  });
  const remove = useMutation({
    mutationFn: () => api(`${MEMBERS_PATH}/${member.id}`, { method: 'DELETE' }),
    onSuccess: () => invalidate(MEMBERS_PATH),
  });
  const editable = manager && !self;
  return (
    <tr>
      <td>
        <strong>{member.name}</strong>
        {self && <span className="badge">You</span>}
        <span className="muted small block">{member.email}</span>
      </td>
      <td>
        {editable ? (
          <select aria-label={`Role of ${member.name}`} value={member.role} onChange={(e) => change.mutate(e.target.value as UserRole)} disabled={change.isPending}>
            {ROLES.map(([r]) => (
              <option key={r} value={r}>
                {humanize(r)}
              </option>
            ))}
          </select>
        ) : (
          humanize(member.role)
        )}
        <ErrorNote error={change.error} />
      </td>
      <td className="nowrap col-optional">{formatShortDate(member.createdAt)}</td>
      <td className="actions">
        {editable && <ConfirmButton label="Remove" question={`Remove ${member.name}?`} confirmLabel="Yes, remove" onConfirm={() => remove.mutate()} pending={remove.isPending} />}
        <ErrorNote error={remove.error} />
      </td>
    </tr>
  );
}

function MembersCard() {
  const members = useApi<MemberList>(MEMBERS_PATH);
  const me = useSession().data?.user;
  const manager = useIsManager();
  return (
    <Card id="members" title="Team" description="Everyone who can sign in to this organization.">
      {members.isPending && <Loading />}
      <ErrorNote error={members.error} />
      {members.data && (
        <DataTable columns={[{ label: 'Person' }, { label: 'Role' }, { label: 'Joined', className: 'col-optional' }, { label: 'Actions', hidden: true }]}>
          {members.data.members.map((m) => (
            <MemberRow key={m.id} member={m} self={m.id === me?.id} manager={manager} />
          ))}
        </DataTable>
      )}
      {members.data && members.data.invites.length > 0 && (
        <>
          <h3>Pending invitations</h3>
          <ul className="plain-list">
            {members.data.invites.map((i) => (
              <li key={i.id}>
                <strong>{i.email}</strong> <span className="muted small">as {i.role} · expires {formatDateTime(i.expiresAt)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {manager && (
        <>
          <h3>Invite someone</h3>
          <InviteForm />
        </>
      )}
    </Card>
  );
}

function ApiKeysCard() {
  const keys = useApi<{ keys: ApiKey[] }>(KEYS_PATH);
  const invalidate = useInvalidate();
  const [label, setLabel] = useState('');
  const [expires, setExpires] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api<CreatedApiKey>(KEYS_PATH, {
        method: 'POST',
        body: { label, ...(expires && { expiresAt: new Date(`${expires}T23:59:59`).toISOString() }) },
      }),
    onSuccess: () => {
      setLabel('');
      setExpires('');
      return invalidate(KEYS_PATH);
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`${KEYS_PATH}/${id}`, { method: 'DELETE' }),
    onSuccess: () => invalidate(KEYS_PATH),
  });
  const errors = fieldErrorsOf(create.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

  return (
    <Card id="api-keys" title="API keys" description="For your own software to use the Epoch Voice API. Anyone with a key acts as your organization: keep keys secret.">
      {create.data && (
        <div className="note note-success stack" role="status">
          <strong>Copy your new key “{create.data.label}” now: it is shown only this once.</strong>
          <SecretBox value={create.data.key} label="New API key" />
        </div>
      )}
      {keys.isPending && <Loading />}
      <ErrorNote error={keys.error} />
      {keys.data &&
        (keys.data.keys.length === 0 ? (
          <p className="empty">No API keys.</p>
        ) : (
          <DataTable columns={[{ label: 'Label' }, { label: 'Key' }, { label: 'Last used', className: 'col-optional' }, { label: 'Expires', className: 'col-optional' }, { label: 'Actions', hidden: true }]}>
            {keys.data.keys.map((k) => (
              <tr key={k.id}>
                <td>
                  <strong>{k.label}</strong>
                  <span className="muted small block">created {formatShortDate(k.createdAt)}</span>
                </td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td className="nowrap col-optional">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'Never'}</td>
                <td className="nowrap col-optional">{k.expiresAt ? formatShortDate(k.expiresAt) : 'Never'}</td>
                <td className="actions">
                  <ConfirmButton
                    label="Revoke"
                    question={`Revoke ${k.label}? Software using it stops working.`}
                    confirmLabel="Yes, revoke"
                    onConfirm={() => revoke.mutate(k.id)}
                    pending={revoke.isPending && revoke.variables === k.id}
                  />
                </td>
              </tr>
            ))}
          </DataTable>
        ))}
      <ErrorNote error={revoke.error} />
      <form onSubmit={onSubmit} className="stack">
        <div className="row">
          <TextField label="Label" required maxLength={LIMITS.apiKeyLabel} placeholder="Booking system" value={label} onChange={(e) => setLabel(e.target.value)} error={errors.label} />
          <TextField label="Expires (optional)" type="date" min={tomorrow} value={expires} onChange={(e) => setExpires(e.target.value)} error={errors.expiresAt} />
        </div>
        <SaveBar mutation={{ ...create, isSuccess: false }} label="Create key" disabled={!label.trim()} />
      </form>
    </Card>
  );
}

export function Team() {
  useTitle('Team & API keys');
  const owner = useSession().data?.user?.role === 'owner';
  return (
    <>
      <header className="page-header">
        <h1>Team &amp; API keys</h1>
        <p className="muted">Who can sign in, what they may change, and keys for the API.</p>
      </header>
      <MembersCard />
      {owner ? (
        <ApiKeysCard />
      ) : (
        <Card id="api-keys" title="API keys">
          <p className="muted">Only an owner can create and revoke API keys.</p>
        </Card>
      )}
    </>
  );
}
