import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { A2P_FEE_CENTS, BRAND_TYPES, requiresEin, type BrandType } from '../../../../src/domain/a2p';
import { minimumTierFor, PLANS } from '../../../../src/domain/plans';
import { api, fieldErrorsOf } from '../../api';
import { useIsManager } from '../../hooks';
import type { A2pStatus, A2pStatusView } from '../../types';
import { CheckoutReturnNote } from '../billing/CheckoutReturnNote';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';
import { TextAreaField, TextField } from '../Field';
import { PlanNote } from '../PlanNote';
import { SelectField } from '../SelectField';

export const A2P_PATH = '/api/a2p/status';

/** The registration's path, in order; a failure takes the place of the review it failed. */
const TRACK: Array<{ status: A2pStatus; label: string; failed?: A2pStatus; failedLabel?: string }> = [
  { status: 'NOT_STARTED', label: 'Not started' },
  { status: 'BRAND_PENDING', label: 'Brand pending', failed: 'BRAND_FAILED', failedLabel: 'Brand rejected' },
  { status: 'BRAND_APPROVED', label: 'Brand approved' },
  { status: 'CAMPAIGN_PENDING', label: 'Campaign pending', failed: 'CAMPAIGN_FAILED', failedLabel: 'Campaign rejected' },
  { status: 'CAMPAIGN_APPROVED', label: 'Campaign approved' },
];
const positionOf = (status: A2pStatus) => TRACK.findIndex((t) => t.status === status || t.failed === status);

function Track({ status }: { status: A2pStatus }) {
  const at = positionOf(status);
  return (
    <ol className="track" aria-label="Registration progress">
      {TRACK.map((t, i) => {
        const failed = t.failed === status;
        const state = failed ? 'failed' : i < at || status === 'CAMPAIGN_APPROVED' ? 'done' : i === at ? 'current' : 'todo';
        return (
          <li key={t.status} className={`track-${state}`} aria-current={i === at ? 'step' : undefined}>
            <span className="track-dot" aria-hidden="true">
              {state === 'done' ? '✓' : state === 'failed' ? '✕' : i + 1}
            </span>
            <span className="track-label">{failed ? t.failedLabel : t.label}</span>
          </li>
        );
      })}
    </ol>
  );
}

const BRAND_LABELS: Record<BrandType, string> = {
  SOLE_PROPRIETOR: 'Sole proprietor (no EIN)',
  LOW_VOLUME_STANDARD: 'Small business, low volume (EIN)',
  STANDARD: 'Business (EIN)',
};

const USE_CASES = [
  ['CUSTOMER_CARE', 'Customer care: replies, follow-ups'],
  ['ACCOUNT_NOTIFICATION', 'Appointment and account notifications'],
  ['MIXED', 'A mix of the above'],
  ['LOW_VOLUME', 'Low volume, mixed'],
] as const;

interface Campaign {
  useCase: string;
  description: string;
  messageFlow: string;
  sampleMessages: string[];
}
const EMPTY_CAMPAIGN: Campaign = { useCase: 'CUSTOMER_CARE', description: '', messageFlow: '', sampleMessages: [''] };

/** Optional texts are left out when empty (the API wants 10+ characters when given). */
const campaignBody = (c: Campaign) => ({
  useCase: c.useCase,
  ...(c.description.trim() && { description: c.description.trim() }),
  ...(c.messageFlow.trim() && { messageFlow: c.messageFlow.trim() }),
  sampleMessages: c.sampleMessages.map((m) => m.trim()).filter(Boolean),
});

/** What the texts are for, and examples: the part carriers read most closely. `errors` are keyed under `prefix`. */
function CampaignFields({ value, onChange, errors, prefix }: { value: Campaign; onChange: (c: Campaign) => void; errors: Record<string, string>; prefix: string }) {
  const set = (key: 'useCase' | 'description' | 'messageFlow') => (e: { target: { value: string } }) => onChange({ ...value, [key]: e.target.value });
  const setSample = (i: number, text: string) => onChange({ ...value, sampleMessages: value.sampleMessages.map((m, k) => (k === i ? text : m)) });
  const err = (key: string) => errors[`${prefix}${key}`];
  return (
    <fieldset className="plain stack">
      <legend className="field-label">Your messages</legend>
      <SelectField label="What you will text about" value={value.useCase} onChange={set('useCase')} error={err('useCase')}>
        {USE_CASES.map(([k, label]) => (
          <option key={k} value={k}>
            {label}
          </option>
        ))}
      </SelectField>
      <TextAreaField label="Description (optional)" rows={2} maxLength={1024} value={value.description} onChange={set('description')} error={err('description')} hint="At least 10 characters if given." />
      <TextAreaField
        label="How customers agree to texts (optional)"
        rows={2}
        maxLength={2048}
        placeholder="Customers give their number when they call or book and agree to appointment texts."
        value={value.messageFlow}
        onChange={set('messageFlow')}
        error={err('messageFlow')}
      />
      {value.sampleMessages.map((m, i) => (
        <div key={i} className="sample">
          <TextAreaField
            label={`Sample message ${i + 1}`}
            rows={2}
            required={i === 0}
            minLength={10}
            maxLength={1024}
            placeholder="Hi, this is Harbor Dental: your cleaning is tomorrow at 10am. Reply STOP to opt out."
            value={m}
            onChange={(e) => setSample(i, e.target.value)}
            error={err(`sampleMessages.${i}`) ?? (i === 0 ? err('sampleMessages') : undefined)}
          />
          {i > 0 && (
            <button type="button" className="button button-quiet button-small" onClick={() => onChange({ ...value, sampleMessages: value.sampleMessages.filter((_, k) => k !== i) })}>
              Remove sample {i + 1}
            </button>
          )}
        </div>
      ))}
      {value.sampleMessages.length < 5 && (
        <div>
          <button type="button" className="button button-small" onClick={() => onChange({ ...value, sampleMessages: [...value.sampleMessages, ''] })}>
            + Another sample
          </button>
        </div>
      )}
    </fieldset>
  );
}

function useA2pRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: [A2P_PATH] });
}

/**
 * Step one: business, representative and messages. Unpaid, saving them opens Stripe Checkout
 * for the fee (the page comes back here with the outcome); paid, it starts brand registration.
 */
function RegistrationForm({ paid, onCancel }: { paid: boolean; onCancel?: () => void }) {
  const refresh = useA2pRefresh();
  const [business, setBusiness] = useState({ businessName: '', businessType: 'SOLE_PROPRIETOR' as BrandType, ein: '' });
  const [rep, setRep] = useState({ firstName: '', lastName: '', email: '', phone: '' });
  const [campaign, setCampaign] = useState<Campaign>(EMPTY_CAMPAIGN);
  const register = useMutation({
    mutationFn: async () => {
      const { url } = await api<{ url: string }>('/api/a2p/checkout', {
        method: 'POST',
        body: {
          businessInfo: { businessName: business.businessName, businessType: business.businessType, ...(requiresEin(business.businessType) && { ein: business.ein.trim() }) },
          representativeInfo: { ...rep, phone: rep.phone.trim() },
          campaignInfo: campaignBody(campaign),
        },
      });
      if (!paid) return window.location.assign(url);
      return api('/api/a2p/initiate', { method: 'POST' });
    },
    onSettled: refresh,
  });

  const errors = fieldErrorsOf(register.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    register.mutate();
  };
  const setB = (key: 'businessName' | 'ein') => (e: { target: { value: string } }) => setBusiness((b) => ({ ...b, [key]: e.target.value }));
  const setR = (key: keyof typeof rep) => (e: { target: { value: string } }) => setRep((r) => ({ ...r, [key]: e.target.value }));

  return (
    <form onSubmit={onSubmit} className="stack">
      <fieldset className="plain stack">
        <legend className="field-label">Your business</legend>
        <div className="row">
          <TextField label="Legal business name" required minLength={2} maxLength={200} value={business.businessName} onChange={setB('businessName')} error={errors['businessInfo.businessName']} />
          <SelectField
            label="Business type"
            value={business.businessType}
            onChange={(e) => setBusiness((b) => ({ ...b, businessType: e.target.value as BrandType }))}
            error={errors['businessInfo.businessType']}
          >
            {BRAND_TYPES.map((t) => (
              <option key={t} value={t}>
                {BRAND_LABELS[t]}
              </option>
            ))}
          </SelectField>
          {requiresEin(business.businessType) && (
            <TextField label="EIN" required placeholder="12-3456789" pattern="\d{2}-\d{7}" value={business.ein} onChange={setB('ein')} error={errors['businessInfo.ein']} hint="Written NN-NNNNNNN." />
          )}
        </div>
      </fieldset>
      <fieldset className="plain stack">
        <legend className="field-label">Who carriers can contact</legend>
        <div className="row">
          <TextField label="First name" required autoComplete="given-name" value={rep.firstName} onChange={setR('firstName')} error={errors['representativeInfo.firstName']} />
          <TextField label="Last name" required autoComplete="family-name" value={rep.lastName} onChange={setR('lastName')} error={errors['representativeInfo.lastName']} />
        </div>
        <div className="row">
          <TextField label="Email" type="email" required autoComplete="email" value={rep.email} onChange={setR('email')} error={errors['representativeInfo.email']} />
          <TextField
            label="Mobile phone"
            type="tel"
            required
            autoComplete="tel"
            placeholder="+15551234567"
            value={rep.phone}
            onChange={setR('phone')}
            error={errors['representativeInfo.phone']}
          />
        </div>
      </fieldset>
      <CampaignFields value={campaign} onChange={setCampaign} errors={errors} prefix="campaignInfo." />
      <ErrorNote error={register.error} />
      <div className="save-bar">
        <button type="submit" className="button button-primary" disabled={register.isPending}>
          {register.isPending ? (paid ? 'Registering…' : 'Opening checkout…') : paid ? 'Save and register' : `Pay $${(A2P_FEE_CENTS / 100).toFixed(0)} and continue`}
        </button>
        {onCancel && (
          <button type="button" className="button button-quiet" onClick={onCancel}>
            Cancel
          </button>
        )}
        <span className="muted small">{paid ? 'The fee is already paid.' : 'One-time fee, paid through a secure Stripe checkout.'}</span>
      </div>
    </form>
  );
}

function InitiateButton({ retry }: { retry: boolean }) {
  const refresh = useA2pRefresh();
  const initiate = useMutation({ mutationFn: () => api('/api/a2p/initiate', { method: 'POST' }), onSettled: refresh });
  return (
    <div className="stack">
      <div className="save-bar">
        <button type="button" className="button button-primary" onClick={() => initiate.mutate()} disabled={initiate.isPending}>
          {initiate.isPending ? 'Submitting…' : retry ? 'Retry brand registration' : 'Start brand registration'}
        </button>
      </div>
      <ErrorNote error={initiate.error} />
    </div>
  );
}

function CampaignForm() {
  const refresh = useA2pRefresh();
  const [campaign, setCampaign] = useState<Campaign>(EMPTY_CAMPAIGN);
  const submit = useMutation({ mutationFn: () => api('/api/a2p/campaign', { method: 'POST', body: { campaignInfo: campaignBody(campaign) } }), onSettled: refresh });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit.mutate();
  };
  return (
    <form onSubmit={onSubmit} className="stack">
      <CampaignFields value={campaign} onChange={setCampaign} errors={fieldErrorsOf(submit.error)} prefix="campaignInfo." />
      <ErrorNote error={submit.error} />
      <div className="save-bar">
        <button type="submit" className="button button-primary" disabled={submit.isPending}>
          {submit.isPending ? 'Submitting…' : 'Submit campaign'}
        </button>
      </div>
    </form>
  );
}

/** What to do (or wait for) at each state; actions are for owners and admins. */
function NextStep({ a2p }: { a2p: A2pStatusView }) {
  const manager = useIsManager();
  const [editing, setEditing] = useState(false);
  const { status, paid, failureReason } = a2p;
  const reason = failureReason && (
    <p className="note note-error" role="alert">
      <strong>Rejected: </strong>
      {failureReason}
    </p>
  );
  const onlyManagers = <p className="muted small">An owner or admin of your organization completes the registration.</p>;

  switch (status) {
    case 'NOT_STARTED':
      if (!manager) return onlyManagers;
      return paid ? (
        <>
          <p>The fee is paid. Submit your brand to the carriers.</p>
          <InitiateButton retry={false} />
        </>
      ) : (
        <RegistrationForm paid={false} />
      );
    case 'BRAND_FAILED':
      return (
        <>
          {reason ?? <p className="note note-error">The carriers rejected the brand.</p>}
          {manager &&
            (editing ? (
              <RegistrationForm paid={paid} onCancel={() => setEditing(false)} />
            ) : (
              <>
                <p>Correct the details if needed, then try again. The fee is not charged twice.</p>
                <div className="save-bar">
                  <InitiateButton retry />
                  <button type="button" className="button" onClick={() => setEditing(true)}>
                    Edit details
                  </button>
                </div>
              </>
            ))}
        </>
      );
    case 'BRAND_PENDING':
      return <p className="note note-info">Carriers are reviewing your business. This usually takes 1–3 business days; this page updates on its own.</p>;
    case 'BRAND_APPROVED':
    case 'CAMPAIGN_FAILED':
      return (
        <>
          {status === 'BRAND_APPROVED' ? <p className="note note-success">Your brand is approved. Last step: describe the texts you will send.</p> : reason}
          {manager ? <CampaignForm /> : onlyManagers}
        </>
      );
    case 'CAMPAIGN_PENDING':
      return <p className="note note-info">Carriers are reviewing your messages. This usually takes a few business days; this page updates on its own.</p>;
    case 'CAMPAIGN_APPROVED':
      return (
        <p className="note note-success">
          Registered: you can text customers from your number. {a2p.smsUsed} message{a2p.smsUsed === 1 ? '' : 's'} sent so far.
        </p>
      );
  }
}

/** The A2P 10DLC registration US carriers require before a business number may send texts. */
export function A2pCard({ a2p }: { a2p: A2pStatusView }) {
  return (
    <Card
      id="a2p"
      title="SMS registration"
      description="US carriers only deliver business texts from registered numbers: your business (the brand) is vetted first, then what you will send (the campaign)."
      aside={!a2p.hasSmsSubscription && <PlanNote feature="a2p" />}
    >
      <CheckoutReturnNote />
      <Track status={a2p.status} />
      {a2p.hasSmsSubscription ? (
        <NextStep a2p={a2p} />
      ) : (
        <p className="note note-upgrade">
          <strong>Upgrade needed. </strong>Texting customers comes with the {PLANS[minimumTierFor('a2p')].label} plan.
        </p>
      )}
    </Card>
  );
}
