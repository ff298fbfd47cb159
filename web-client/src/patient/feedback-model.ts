/** The most a comment may say: the server refuses longer ones (VisitFeedback.MaxCommentLength). */
export const maxCommentLength = 1000;

export type FeedbackProblem = 'feedback.chooseRating' | 'feedback.tooLong';

/** What the form sends: a rating from 1 to 5 and the comment, left out when blank. */
export function feedbackRequest(rating: string | undefined, comment: string): { body: { rating: number; comment?: string } } | { error: FeedbackProblem } {
  const stars = Number(rating);
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) return { error: 'feedback.chooseRating' };
  const words = comment.trim();
  if (words.length > maxCommentLength) return { error: 'feedback.tooLong' };
  return { body: words ? { rating: stars, comment: words } : { rating: stars } };
}
