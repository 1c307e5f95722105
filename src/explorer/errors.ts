// The one explorer-specific error: the campaign was stopped (budget or user) before it had
// anything to report, e.g. while recording the census. Everything else uses the shared taxonomy
// in src/errors.ts (UsageError, SpecError, InfraError).
export class CampaignStopped extends Error {
  override readonly name = 'CampaignStopped';
}
