import { describe, expect, it } from 'vitest';
import { feedbackRequest, maxCommentLength } from './feedback-model';

describe('feedbackRequest', () => {
  it('sends the chosen rating and the trimmed comment', () => {
    expect(feedbackRequest('4', '  Kind and clear.  ')).toEqual({ body: { rating: 4, comment: 'Kind and clear.' } });
  });

  it('leaves a blank comment out', () => {
    expect(feedbackRequest('5', '   ')).toEqual({ body: { rating: 5 } });
  });

  it('asks for a rating from 1 to 5 when none or another was chosen', () => {
    for (const rating of [undefined, '', '0', '6', '2.5']) expect(feedbackRequest(rating, '')).toEqual({ error: 'feedback.chooseRating' });
  });

  it('refuses a comment longer than the server keeps', () => {
    expect(feedbackRequest('3', 'x'.repeat(maxCommentLength + 1))).toEqual({ error: 'feedback.tooLong' });
    expect(feedbackRequest('3', 'x'.repeat(maxCommentLength))).toHaveProperty('body');
  });
});
