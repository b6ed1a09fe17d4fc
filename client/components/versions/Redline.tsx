import type { Redline as RedlineData } from '@shared/diff/types';

/** A word-level redline: insertions underlined in green, deletions struck through in red. */
export function Redline({ redline }: { redline: RedlineData }) {
  return (
    <span className="redline">
      {redline.map((piece, i) =>
        piece.op === 'inserted' ? (
          <ins key={i}>{piece.text}</ins>
        ) : piece.op === 'deleted' ? (
          <del key={i}>{piece.text}</del>
        ) : (
          <span key={i}>{piece.text}</span>
        ),
      )}
    </span>
  );
}
