import { t } from './i18n';

/** A patient's allergy as the server lists it. */
export interface PatientAllergy {
  id: string; substance: string; reaction: string; severity: 'mild' | 'moderate' | 'severe'; verified: boolean; resolvedAt?: string | null;
}

/** One allergy in words: substance, severity and reaction, verified or only reported, and resolved when it is. */
export function allergyLine(allergy: PatientAllergy): string {
  const line = t('allergy.item', {
    substance: allergy.substance, severity: t(`allergy.${allergy.severity}`), reaction: allergy.reaction,
    verified: t(allergy.verified ? 'allergy.verified' : 'allergy.unverified'),
  });
  return allergy.resolvedAt ? `${line} ${t('allergy.resolved')}` : line;
}
