// The first login's step indicator: the design system's StepIndicator (src/web/views/) over the
// guide's steps (./guide.ts): the current step aria-current="step", the others' states in words.
import type { T } from '../../i18n/index.ts';
import { StepIndicator } from '../../web/views/step-indicator.tsx';
import type { GuideStep } from './guide.ts';

export function GuideIndicator({ t, steps }: { t: T; steps: GuideStep[] | null | undefined }) {
  if (!steps) return null;
  const skipped = steps.flatMap((s, i) => (s.state === 'skipped' ? [i] : []));
  return (
    <StepIndicator t={t} steps={steps.map((s) => t(`guide.step.${s.id}`))} current={steps.findIndex((s) => s.state === 'current')} skipped={skipped} />
  );
}
