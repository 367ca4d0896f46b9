/**
 * THE one maintained list of link-preview and crawler user agents. Chat apps,
 * mail scanners and social sites fetch every link they see to draw a preview;
 * such a fetch of /pay/<token> must never create an order (the outage behind
 * issue 5). Add new agents here only.
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
  'pinterest',
  'redditbot',
  'vkshare',
  'iframely',
];

/** Generic words crawlers put in their agent strings ("…bot/1.0", "…Preview…", "…crawler…"). */
const GENERIC_AGENT = /bot\b|bot\/|preview|crawler|spider|scraper|headless/i;

export function isLinkPreviewAgent(userAgent: string | undefined): boolean {
  if (!userAgent) return false;
  const agent = userAgent.toLowerCase();
  return LINK_PREVIEW_AGENTS.some((name) => agent.includes(name)) || GENERIC_AGENT.test(userAgent);
}
