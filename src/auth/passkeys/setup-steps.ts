// Issue 23 item 1: a passkey registered during the 2-step setup, beside TOTP and MailOTP, where the
// organisation allows passkeys. From the method choice (admins) or the TOTP setup (general users):
//   `passkey/setup`      → awaiting_passkey_enrolment, with a registration challenge on the flow;
//   `passkey/enrol`      → the browser's answer: the passkey is the user's, back to the setup;
//   `passkey/enrol/back` → «戻る» without one.
// A passkey never stands alone (decision 060): the setup of TOTP or MailOTP follows either way, so
// the login's «別の方法を使う» always leads somewhere and a lost passkey locks no one out. The user
// has proven what the setup's TOTP enrolment needs (the flow's password), nothing less.
import { DomainError } from '../../errors.ts';
import type { FlowContext } from '../flows/states.ts';
import { defineStep, type Refusal } from '../flows/step.ts';
import type { Organisation } from '../tenancy/organisations.ts';
import type { UserRow } from '../users/store.ts';
import { loginSubject } from '../login/second-factor.ts';
import { storedChallenge } from './ceremony.ts';
import { orgAllowsPasskeys } from './service.ts';
import { checkRegistration, PasskeyOtherBody, PasskeyRegisterBody, writeRegistration, type RegisterChecked } from './steps.ts';

type SetupFrom = NonNullable<FlowContext['passkeySetupFrom']>;
/** What the setup pages show: «パスキーを登録» (offer), «登録済み» (held), or nothing. */
export type PasskeySetupOffer = 'offer' | 'held' | null;

/** Back to the setup state the registration was opened from (the method choice or the TOTP setup). */
function setupState(context: FlowContext): SetupFrom {
  return context.passkeySetupFrom === 'awaiting_method_choice' ? 'awaiting_method_choice' : 'awaiting_totp_enrolment';
}

function leaving(context: FlowContext): FlowContext {
  return { ...context, passkeyChallenge: undefined, passkeySetupFrom: undefined };
}

/**
 * Whether the setup pages offer «パスキーを登録»: the organisation allows passkeys and the user holds
 * none yet (one registered here is enough; more come from the security settings). The count is the
 * user row's own (`passkeys_held`, read with the flow in this request): no query of its own.
 */
export function passkeySetupOffered(s: { org: Organisation; user: Pick<UserRow, 'passkeys_held'> }): PasskeySetupOffer {
  if (!orgAllowsPasskeys(s.org)) return null;
  return Number(s.user.passkeys_held) > 0 ? 'held' : 'offer';
}

const setup = defineStep({
  kinds: ['login'], step: 'passkey/setup', body: PasskeyOtherBody,
  async check({ ctx, flow }) {
    const s = await loginSubject(ctx, flow);
    if (passkeySetupOffered(s) !== 'offer') throw new DomainError('auth.method_not_allowed');
    return s;
  },
  async apply(c) {
    const from = c.flow.state as SetupFrom;
    await c.advance('awaiting_passkey_enrolment', { ...c.flow.context, passkeyChallenge: storedChallenge(c.now), passkeySetupFrom: from });
  },
});

const enrol = defineStep({
  kinds: ['login'], step: 'passkey/enrol', body: PasskeyRegisterBody,
  async check({ ctx, flow, body, now }): Promise<RegisterChecked> {
    const s = await loginSubject(ctx, flow);
    return checkRegistration(ctx, flow, body, s, now);
  },
  async apply(c, v: RegisterChecked): Promise<Refusal | void> {
    const refused = await writeRegistration(c, v, 'setup');
    if (refused) return refused;
    // The setup page says the passkey is registered and asks for the fallback method.
    await c.advance(setupState(c.flow.context), leaving(c.flow.context));
  },
});

const back = defineStep({
  kinds: ['login'], step: 'passkey/enrol/back', body: PasskeyOtherBody,
  check: async ({ ctx, flow }) => loginSubject(ctx, flow),
  async apply(c) {
    await c.advance(setupState(c.flow.context), leaving(c.flow.context));
  },
});

export const passkeySetupSteps = [setup, enrol, back] as const;
