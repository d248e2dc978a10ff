-- Verified-log checkpoints (kasane.bus.verified_log): per consumer and partition, the running
-- SHA-256 over every record the consumer signature-checked, with its verdict, at some offsets.
-- A replay (`kasane indicators rebuild`) that recomputes the same digest need not verify those
-- records' signatures again. Digests only: no event content.
CREATE TABLE verified_checkpoints (
    consumer     text        NOT NULL,
    topic        text        NOT NULL,
    partition    integer     NOT NULL,
    chain_start  bigint      NOT NULL,  -- first offset folded into this chain
    "offset"     bigint      NOT NULL,  -- last offset folded into digest
    digest       bytea       NOT NULL CHECK (length(digest) = 32),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, topic, partition, chain_start, "offset")
);
