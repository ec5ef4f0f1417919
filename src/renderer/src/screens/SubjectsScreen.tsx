import { EmptyState } from '../components/EmptyState';

export function SubjectsScreen() {
  return (
    <EmptyState title="No subjects recorded">
      <p>
        Each person filmed gets a pseudonym here, with their consent and how they must be protected. Their real name and
        evidence stay sealed to HQ.
      </p>
    </EmptyState>
  );
}
