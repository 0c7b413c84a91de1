// What the practice page says when an upload is refused, in a learner's words (QA: the
// API's own messages were shown: "No piece with that id.", "Too many requests …").
export const PIECE_GONE = "This piece is no longer in your library: it was deleted, or its owner stopped sharing it, "
  + "so this recording cannot be scored.";

export const ANOTHER_LEARNER = "Another learner has signed in on this browser since this page opened, so your "
  + "recording was not sent (it would have gone to their account). Sign in as yourself again, then send it.";

const counted = (n, unit) => `${n} ${unit}${n === 1 ? "" : "s"}`;

// Over the daily limit the wait is hours (QA: "Wait 1440 minutes"; and "Wait 1 seconds").
export function waitFor(retryAfter) {
  const seconds = Math.max(1, parseInt(retryAfter, 10) || 60);
  let wait = counted(Math.round(seconds / 3600), "hour");
  if (seconds < 120) wait = counted(seconds, "second");
  else if (seconds < 2 * 3600) wait = counted(Math.round(seconds / 60), "minute");
  return `You have sent many recordings in a short time. Wait ${wait}, then send this one again.`;
}
