/**
 * THE one maintained list of link-preview and crawler user agents. Chat apps,
 * mail scanners and social sites fetch every link they see to draw a preview;
 * such a fetch of /pay/<token> must never create an order (a preview bot
 * clicking a payment link first is a known outage elsewhere). Add new agents here only.
 */
export const LINK_PREVIEW_AGENTS: readonly string[] = [
  'facebookexternalhit',
  'facebot',
  'twitterbot',
  'slackbot-linkexpanding',
  'slack-imgproxy',
  'whatsapp',
  'discordbot',
  'linkedinbot',
  'telegrambot',
  'googlebot',
  'bingbot',
  'applebot',
  'skypeuripreview',
  'microsoftpreview',
  'embedly',
  // Pinterest's previewer, not its in-app browser ("[Pinterest/iOS]"), whose users are buyers.
  'pinterestbot',
  'pinterest/0.',
  'redditbot',
  'vkshare',
  'iframely',
  'headlesschrome',
];

/**
 * Generic crawler words, matched as whole words only: a real phone can carry
 * "bot" inside a word of its model name ("CUBOT NOTE 20 PRO"), and its buyer
 * must still be able to pay. Caught:
 * - the word itself: "Link Preview", "… crawler …", "spider", "bot";
 * - a product token named …bot / …crawler / …spider with a version ("AhrefsBot/7.0");
 * - such a name in the "(compatible; …)" clause crawlers use ("compatible; PetalBot;").
 */
const GENERIC_AGENTS: readonly RegExp[] = [
  /\b(?:bots?|crawler|spider|scraper|preview|headless)\b/i,
  /[a-z0-9](?:bot|crawler|spider)\/[\w.~-]/i,
  /\bcompatible;\s*[\w.-]*(?:bot|crawler|spider)\b/i,
];

export function isLinkPreviewAgent(userAgent: string | undefined): boolean {
  if (!userAgent) return false;
  const agent = userAgent.toLowerCase();
  return LINK_PREVIEW_AGENTS.some((name) => agent.includes(name)) || GENERIC_AGENTS.some((pattern) => pattern.test(userAgent));
}
