// The first login's step indicator as an ordered list: the current step aria-current="step", done
// and not-needed steps say so in words (not only by colour or a tick). Until the design system's
// StepIndicator (src/web/views/) lands this renders the markup itself.
import type { T } from '../../i18n/index.ts';
import type { GuideStep } from './guide.ts';

export function GuideIndicator({ t, steps }: { t: T; steps: GuideStep[] | null | undefined }) {
  if (!steps) return null;
  const at = steps.findIndex((s) => s.state === 'current');
  return (
    <nav class="step-indicator" aria-label={t('guide.label')}>
      {at >= 0 && <p class="sr-only">{t('guide.step_of', { n: at + 1, total: steps.length })}</p>}
      <ol>
        {steps.map((s) => (
          <li class={`step ${s.state}`} aria-current={s.state === 'current' ? 'step' : undefined}>
            <span class="label">{t(`guide.step.${s.id}`)}</span>
            {s.state === 'done' && <span class="sr-only"> ({t('guide.done')})</span>}
            {s.state === 'skipped' && <span class="note"> ({t('guide.skipped')})</span>}
          </li>
        ))}
      </ol>
    </nav>
  );
}
