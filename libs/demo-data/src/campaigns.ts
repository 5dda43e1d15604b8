/**
 * The demo shop's campaigns, as CampaignService documents (see the decisioning README, "Campaigns"): two for
 * the `home-banner` placement that `Decide` arbitrates between, and a trigger campaign that answers a
 * `balance_low` event with a top-up offer by SMS, which the delivery service sends to the fake gateway.
 */
export function demoCampaigns(nowMs: number): Record<string, unknown>[] {
  const DAY_MS = 86_400_000;
  // Running for a year from yesterday: active whenever the demo is started.
  const schedule = {
    start: new Date(nowMs - DAY_MS).toISOString(),
    end: new Date(nowMs + 365 * DAY_MS).toISOString(),
    timeZone: 'UTC',
  };
  return [
    {
      id: 'free-delivery',
      description: 'Free delivery on the next order',
      status: 'active',
      value: 1,
      schedule,
      placements: ['home-banner'],
      caps: [{ max: 5, per: 'day' }],
      creatives: [{ id: 'banner-truck' }, { id: 'banner-box' }],
    },
    {
      id: 'loyalty-voucher',
      description: 'A voucher for frequent buyers',
      status: 'active',
      value: 5,
      schedule,
      placements: ['home-banner'],
      targeting: 'profile["user.purchases_30d"] >= 5.0',
      caps: [{ max: 3, per: 'day' }],
      holdout: 0.1,
      creatives: [{ id: 'voucher-10' }],
    },
    {
      id: 'top-up',
      description: 'Top-up offer when the balance runs low',
      status: 'active',
      value: 1,
      schedule,
      channels: ['sms'],
      caps: [{ max: 1, per: 'day' }],
      trigger: { event: 'balance_low', condition: 'event.balance < 50.0' },
      creatives: [{ id: 'sms-topup' }],
    },
  ];
}
