/** Base of the errors this lib raises; `code` is stable and mapped to HTTP statuses by the API. */
export abstract class LeadError extends Error {
  abstract readonly code: string;
}

export class LeadNotFoundError extends LeadError {
  readonly code = 'NOT_FOUND';
  constructor(id: string) {
    super(`No lead ${id}, or not one this API key may see`);
  }
}

/** A move the lifecycle does not allow from the current state; names the moves that are allowed. */
export class InvalidTransitionError extends LeadError {
  readonly code = 'INVALID_TRANSITION';
  constructor(
    readonly from: string,
    readonly to: string,
    readonly allowed: string[],
  ) {
    super(
      `A lead in state ${from} cannot move to ${to}; allowed: ${allowed.length ? allowed.join(', ') : 'none (final state)'}`,
    );
  }
}

export class BrokerUnavailableError extends LeadError {
  readonly code = 'BROKER_UNAVAILABLE';
  constructor(brokerId: string, why: string) {
    super(`Broker ${brokerId} cannot take this lead: ${why}`);
  }
}

/** An introduction of a demand to a partner of the same organisation. */
export class SameOrganisationError extends LeadError {
  readonly code = 'SAME_ORGANISATION';
  constructor() {
    super('The demand and the partner belong to the same organisation');
  }
}

export class SubsidyRuleExistsError extends LeadError {
  readonly code = 'SUBSIDY_RULE_EXISTS';
  constructor(id: string) {
    super(`A subsidy rule ${id} exists; a changed rule needs a new id`);
  }
}

export class SubsidyRuleNotFoundError extends LeadError {
  readonly code = 'NOT_FOUND';
  constructor(id: string) {
    super(`No subsidy rule ${id} in force`);
  }
}

/** This process's search index has not caught up with the record yet: the job is tried again later. */
export class IndexBehindError extends LeadError {
  readonly code = 'INDEX_BEHIND';
  constructor(kind: string, id: string) {
    super(`The search index has not caught up with ${kind} ${id} yet`);
  }
}

export class OfferNotFoundError extends LeadError {
  readonly code = 'NOT_FOUND';
  constructor(id: string) {
    super(`No lead offer ${id}`);
  }
}

export class WebhookDeliveryNotFoundError extends LeadError {
  readonly code = 'NOT_FOUND';
  constructor(offerId: string) {
    super(`No webhook delivery for offer ${offerId}`);
  }
}

/**
 * A webhook URL whose host is, or resolves to, an address the policy refuses (webhook-address-policy.ts). At
 * registration it answers 400 naming the field; at a call it is the outcome `address_not_allowed`.
 */
export class WebhookAddressNotAllowedError extends LeadError {
  readonly code = 'WEBHOOK_ADDRESS_NOT_ALLOWED';
  readonly details: { field: string; problems: string[] }[];
  constructor(host: string, reason: string) {
    super(`Webhooks go to public addresses only: ${host} is refused (${reason})`);
    this.details = [{ field: 'url', problems: [`url must reach a public address; ${host}: ${reason}`] }];
  }
}
