-- Up Migration
-- A webhook delivery records the class of its last outcome instead of the raw error text. The text was what a socket
-- or resolver said ("connect ECONNREFUSED 10.0.0.5:6379"), and the deliveries page showed it: with webhook URLs set
-- by customers, that page would map the service's own network. The receiver's status stays in last_status_code.
ALTER TABLE webhook_deliveries
  ADD COLUMN last_outcome text
    CHECK (last_outcome IN ('delivered', 'refused', 'timed_out', 'address_not_allowed', 'unreachable'));

-- Calls made before: classed by what they recorded (fetch's timeout said "aborted due to timeout").
UPDATE webhook_deliveries
   SET last_outcome = CASE
         WHEN last_status_code BETWEEN 200 AND 299 AND last_error IS NULL THEN 'delivered'
         WHEN last_status_code IS NOT NULL THEN 'refused'
         WHEN last_error ILIKE '%timeout%' THEN 'timed_out'
         ELSE 'unreachable'
       END
 WHERE attempts > 0;

ALTER TABLE webhook_deliveries DROP COLUMN last_error;
