// Where a person is in their first login (issue 20 item 6): identity → password → 2-step → terms.
// The first login is two flows and a gate (first_login: identity, password; login: the second step;
// then the terms gate on the new session), so each page says what it knows of the steps around it
// and this module turns that into the indicator's steps. A step the person does not meet (no terms
// to accept, a second step legitimately skipped) is marked «not needed», never shown as to do.

export const GUIDE_STEPS = ['identity', 'password', 'second_factor', 'terms'] as const;
export type GuideStepId = (typeof GUIDE_STEPS)[number];
export type GuideStepState = 'done' | 'current' | 'todo' | 'skipped';
export interface GuideStep { id: GuideStepId; state: GuideStepState }

/**
 * The four steps with `current` marked; those before it done, those after it to do, except the ones
 * named in `skipped` (before or after: a skipped step is neither done nor to do).
 */
export function guideSteps(current: GuideStepId, skipped: readonly GuideStepId[] = []): GuideStep[] {
  const at = GUIDE_STEPS.indexOf(current);
  return GUIDE_STEPS.map((id, i) => ({
    id,
    state: id === current ? 'current' : skipped.includes(id) ? 'skipped' : i < at ? 'done' : 'todo',
  }));
}

/** A login flow's page belongs to the first login while the user has never had a session. */
export function inFirstLogin(user: { last_login_at: number | null }): boolean {
  return user.last_login_at === null;
}
