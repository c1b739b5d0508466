// Where a multi-step process stands: an ordered list; the current step has aria-current="step";
// each step says its state in words (screen-reader text), the tick and colour only repeat it.
import type { T } from '../../i18n/index.ts';

/** Props: `steps` (labels in order), `current` (0-based index), `label` (the list's name). */
export function StepIndicator({ t, steps, current, label }: { t: T; steps: string[]; current: number; label?: string }) {
  return (
    <ol class="step-indicator" aria-label={label ?? t('ui.steps', { n: current + 1, total: steps.length })}>
      {steps.map((s, i) => {
        const state = i < current ? 'done' : i === current ? 'current' : 'todo';
        return (
          <li class={state} aria-current={state === 'current' ? 'step' : undefined}>
            <span>{s}</span> <span class="sr">({t(`ui.step_${state}`)})</span>
          </li>
        );
      })}
    </ol>
  );
}
