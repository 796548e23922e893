-- Challenge invitations are announced on the invited organisation's webhook the way offers are on a broker's: one
-- record per call series, either an offer's or an invitation's, so operators list and replay both in one place.
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_pkey;
ALTER TABLE webhook_deliveries ALTER COLUMN offer_id DROP NOT NULL;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_offer UNIQUE (offer_id);
ALTER TABLE webhook_deliveries
  ADD COLUMN invitation_id uuid UNIQUE REFERENCES challenge_invitations (id),
  ADD COLUMN id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ADD CONSTRAINT webhook_deliveries_one_subject CHECK (num_nonnulls(offer_id, invitation_id) = 1);

-- Its webhook state now lives in webhook_deliveries.
ALTER TABLE challenge_invitations DROP COLUMN webhook_delivered_at;
