-- The IPAM functions of the PostgreSQL store, run by the schema migrations as CREATE OR REPLACE ("{schema}"
-- stands for the schema name). Every migration that changes a function runs this whole text, so only the
-- newest version is kept: a schema at any earlier version ends with it.
--
-- ipam_end_expired_holds: the held addresses of a subnet whose reuse hold ended at p_now become free
-- again, merged with the free ranges next to them inside the subnet. The caller holds the subnet's row
-- lock. p_now is always the caller's clock (the store's TimeProvider through IpamService), never the
-- database's now(), so that every hold is judged by one clock.
CREATE OR REPLACE FUNCTION "{schema}".ipam_end_expired_holds(p_space bigint, p_network bigint, p_last bigint, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    v_freed bigint;
    v_left bigint;
    v_right bigint;
BEGIN
    FOR v_freed IN
        DELETE FROM "{schema}".ipam_hold h
        WHERE h.space_id = p_space AND h.subnet_network = p_network AND h.reusable_at <= p_now
        RETURNING h.address
    LOOP
        v_left := NULL;
        v_right := NULL;
        IF v_freed > p_network THEN
            SELECT f.first INTO v_left FROM "{schema}".ipam_free_range f WHERE f.space_id = p_space AND f.last = v_freed - 1;
        END IF;
        IF v_freed < p_last THEN
            SELECT f.last INTO v_right FROM "{schema}".ipam_free_range f WHERE f.space_id = p_space AND f.first = v_freed + 1;
        END IF;
        IF v_left IS NOT NULL AND v_right IS NOT NULL THEN
            DELETE FROM "{schema}".ipam_free_range f WHERE f.space_id = p_space AND f.first = v_freed + 1;
            UPDATE "{schema}".ipam_free_range f SET last = v_right WHERE f.space_id = p_space AND f.first = v_left;
        ELSIF v_left IS NOT NULL THEN
            UPDATE "{schema}".ipam_free_range f SET last = v_freed WHERE f.space_id = p_space AND f.first = v_left;
        ELSIF v_right IS NOT NULL THEN
            UPDATE "{schema}".ipam_free_range f SET first = v_freed WHERE f.space_id = p_space AND f.first = v_freed + 1;
        ELSE
            INSERT INTO "{schema}".ipam_free_range (space_id, subnet_network, first, last) VALUES (p_space, p_network, v_freed, v_freed);
        END IF;
    END LOOP;
END
$fn$;

-- ipam_allocate_next: every next-free and random allocation of the store (see AllocateNextFunction.cs).
-- p_start NULL: next-free from the subnet's cursor, which moves past the last address taken; a value:
-- the offset in the subnet where the search starts (random allocation), the cursor stays.
CREATE OR REPLACE FUNCTION "{schema}".ipam_allocate_next(
    p_space text, p_network bigint, p_length integer,
    p_owners text[], p_keys text[], p_metadata text[], p_times timestamptz[], p_operations uuid[],
    p_rerun boolean, p_start bigint)
RETURNS TABLE (r_idx integer, r_kind smallint, r_address bigint, r_metadata text, r_allocated_at timestamptz)
LANGUAGE plpgsql AS $fn$
DECLARE
    v_n integer := cardinality(p_owners);
    -- Per request: its kind (NULL while it still needs an address), address, stored metadata and time,
    -- and the earlier request of the batch with the same owner and key (it shares that one's answer).
    v_kind smallint[] := array_fill(NULL::smallint, ARRAY[v_n]);
    v_address bigint[] := array_fill(NULL::bigint, ARRAY[v_n]);
    v_metadata text[] := array_fill(NULL::text, ARRAY[v_n]);
    v_at timestamptz[] := array_fill(NULL::timestamptz, ARRAY[v_n]);
    v_same integer[] := array_fill(NULL::integer, ARRAY[v_n]);
    v_space bigint;
    v_hold bigint;
    v_last bigint;
    v_offset bigint;
    v_from bigint;
    v_need integer := 0;
    v_got integer := 0;
    v_take bigint;
    v_straddle bigint;
    -- The free ranges touched (by first and last) and the taken segments, in take order.
    v_touched_first bigint[] := '{}';
    v_touched_last bigint[] := '{}';
    v_seg_lo bigint[] := '{}';
    v_seg_hi bigint[] := '{}';
    v_seg integer := 1;
    v_next bigint;
    r record;
BEGIN
    -- The subnet's row lock: every change to a subnet's addresses takes turns on it.
    SELECT n.space_id, s.reuse_hold_ticks, n.network + (1::bigint << (32 - n.length)) - 1, n.next_offset
        INTO v_space, v_hold, v_last, v_offset
        FROM "{schema}".ipam_subnet n JOIN "{schema}".ipam_space s ON s.space_id = n.space_id
        WHERE s.name = p_space AND n.network = p_network AND n.length = p_length
        FOR NO KEY UPDATE OF n;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 0, (-1)::smallint, NULL::bigint, NULL::text, NULL::timestamptz;
        RETURN;
    END IF;

    -- Held addresses whose hold ended (at the earliest request time) become free again.
    IF v_hold > 0 THEN
        PERFORM "{schema}".ipam_end_expired_holds(v_space, p_network, v_last, (SELECT min(t) FROM unnest(p_times) AS t));
    END IF;

    -- A re-run after a lost reply: what the first run committed.
    IF p_rerun THEN
        FOR r IN
            SELECT o.n, a.address, a.metadata::text AS m, a.allocated_at AS t
            FROM unnest(p_operations) WITH ORDINALITY AS o(op, n) JOIN "{schema}".ipam_allocation a ON a.operation_id = o.op
        LOOP
            v_kind[r.n] := 2;
            v_address[r.n] := r.address;
            v_metadata[r.n] := r.m;
            v_at[r.n] := r.t;
        END LOOP;
    END IF;

    -- Requests whose (owner, request key) already holds an address get that allocation; a
    -- repeated key inside the batch shares the first request's answer.
    IF cardinality(array_remove(p_keys, NULL)) > 0 THEN
        FOR r IN
            SELECT k.n, a.address, a.metadata::text AS m, a.allocated_at AS t
            FROM unnest(p_owners, p_keys) WITH ORDINALITY AS k(o, rk, n)
            JOIN "{schema}".ipam_allocation a ON a.space_id = v_space AND a.owner = k.o AND a.request_key = k.rk
        LOOP
            IF v_kind[r.n] IS NULL THEN
                v_kind[r.n] := 1;
                v_address[r.n] := r.address;
                v_metadata[r.n] := r.m;
                v_at[r.n] := r.t;
            END IF;
        END LOOP;
        -- Only a batch can repeat a key.
        IF v_n > 1 THEN
            FOR r IN
                SELECT d.n, d.first_n FROM (
                    SELECT k.n, min(k.n) OVER (PARTITION BY k.o, k.rk) AS first_n
                    FROM unnest(p_owners, p_keys) WITH ORDINALITY AS k(o, rk, n) WHERE k.rk IS NOT NULL) d
                WHERE d.n <> d.first_n
            LOOP
                v_same[r.n] := r.first_n;
            END LOOP;
        END IF;
    END IF;

    FOR n IN 1 .. v_n LOOP
        IF v_kind[n] IS NULL AND v_same[n] IS NULL THEN
            v_need := v_need + 1;
        END IF;
    END LOOP;

    -- Take the first v_need free addresses at or after the cursor, then (wrapping once) from the
    -- subnet start: ranges ending at or after the cursor first, then those ending before it,
    -- then the part below the cursor of the range that straddles it.
    -- Random allocation starts at the caller's random offset and leaves the cursor alone.
    IF p_start IS NOT NULL THEN
        v_offset := p_start;
    END IF;
    IF v_offset < 0 OR v_offset > v_last - p_network THEN
        v_offset := 0;
    END IF;
    v_from := p_network + v_offset;
    IF v_need > 0 THEN
        FOR r IN
            SELECT f.first AS lo, f.last AS hi FROM "{schema}".ipam_free_range f
            WHERE f.space_id = v_space AND f.last >= v_from AND f.last <= v_last ORDER BY f.last LIMIT v_need
        LOOP
            IF r.lo < v_from THEN
                v_straddle := r.lo;
            END IF;
            v_take := least(r.hi - greatest(r.lo, v_from) + 1, v_need - v_got);
            v_touched_first := v_touched_first || r.lo;
            v_touched_last := v_touched_last || r.hi;
            v_seg_lo := v_seg_lo || greatest(r.lo, v_from);
            v_seg_hi := v_seg_hi || greatest(r.lo, v_from) + v_take - 1;
            v_got := v_got + v_take;
            EXIT WHEN v_got = v_need;
        END LOOP;

        IF v_got < v_need AND v_offset > 0 THEN
            FOR r IN
                SELECT f.first AS lo, f.last AS hi FROM "{schema}".ipam_free_range f
                WHERE f.space_id = v_space AND f.last >= p_network AND f.last < v_from ORDER BY f.last LIMIT v_need - v_got
            LOOP
                v_take := least(r.hi - r.lo + 1, v_need - v_got);
                v_touched_first := v_touched_first || r.lo;
                v_touched_last := v_touched_last || r.hi;
                v_seg_lo := v_seg_lo || r.lo;
                v_seg_hi := v_seg_hi || r.lo + v_take - 1;
                v_got := v_got + v_take;
                EXIT WHEN v_got = v_need;
            END LOOP;
            IF v_got < v_need AND v_straddle IS NOT NULL THEN
                v_take := least(v_from - v_straddle, v_need - v_got);
                v_seg_lo := v_seg_lo || v_straddle;
                v_seg_hi := v_seg_hi || v_straddle + v_take - 1;
                v_got := v_got + v_take;
            END IF;
        END IF;
    END IF;

    IF v_got > 0 THEN
        IF cardinality(v_seg_lo) = 1 AND cardinality(v_touched_first) = 1 AND v_seg_lo[1] = v_touched_first[1] THEN
            -- The usual case, sequential allocation: one segment from the start of one range, which
            -- shrinks in place (or goes when it is used up).
            IF v_seg_hi[1] = v_touched_last[1] THEN
                DELETE FROM "{schema}".ipam_free_range f WHERE f.space_id = v_space AND f.first = v_touched_first[1];
            ELSE
                UPDATE "{schema}".ipam_free_range f SET first = v_seg_hi[1] + 1 WHERE f.space_id = v_space AND f.first = v_touched_first[1];
            END IF;
        ELSE
            -- The touched ranges are replaced by what is left of them: the gaps before, between and after their taken segments.
            DELETE FROM "{schema}".ipam_free_range f WHERE f.space_id = v_space AND f.first = ANY (v_touched_first);
            WITH b AS (
                SELECT t.f, t.l, s.lo AS s_lo, s.hi AS s_hi, lag(s.hi) OVER w AS prev_hi, lead(s.lo) OVER w AS next_lo
                FROM unnest(v_touched_first, v_touched_last) AS t(f, l)
                JOIN unnest(v_seg_lo, v_seg_hi) AS s(lo, hi) ON s.lo BETWEEN t.f AND t.l
                WINDOW w AS (PARTITION BY t.f ORDER BY s.lo))
            INSERT INTO "{schema}".ipam_free_range (space_id, subnet_network, first, last)
            SELECT v_space, p_network, g.lo, g.hi FROM (
                SELECT coalesce(b.prev_hi + 1, b.f) AS lo, b.s_lo - 1 AS hi FROM b
                UNION ALL
                SELECT b.s_hi + 1, b.l FROM b WHERE b.next_lo IS NULL) AS g
            WHERE g.lo <= g.hi;
        END IF;

        -- The taken addresses go to the waiting requests in request order.
        v_next := v_seg_lo[1];
        FOR n IN 1 .. v_n LOOP
            CONTINUE WHEN v_kind[n] IS NOT NULL OR v_same[n] IS NOT NULL;
            EXIT WHEN v_next IS NULL;
            v_kind[n] := 0;
            v_address[n] := v_next;
            IF v_next = v_seg_hi[v_seg] THEN
                v_seg := v_seg + 1;
                v_next := v_seg_lo[v_seg];
            ELSE
                v_next := v_next + 1;
            END IF;
        END LOOP;

        INSERT INTO "{schema}".ipam_allocation (space_id, address, subnet_network, owner, request_key, metadata, allocated_at, operation_id)
        SELECT v_space, v_address[q.n], p_network, p_owners[q.n], p_keys[q.n], p_metadata[q.n]::jsonb, p_times[q.n], p_operations[q.n]
        FROM generate_subscripts(p_owners, 1) AS q(n) WHERE v_kind[q.n] = 0;

        UPDATE "{schema}".ipam_subnet n SET allocated = n.allocated + v_got, next_offset = CASE WHEN p_start IS NULL THEN v_seg_hi[cardinality(v_seg_hi)] + 1 - p_network ELSE n.next_offset END
            WHERE n.space_id = v_space AND n.network = p_network;
    END IF;

    -- Repeated keys share the first request's answer; what is left found no free address.
    FOR n IN 1 .. v_n LOOP
        IF v_same[n] IS NOT NULL AND v_kind[n] IS NULL THEN
            IF v_kind[v_same[n]] = 0 THEN
                v_kind[n] := 1;
                v_address[n] := v_address[v_same[n]];
                v_metadata[n] := p_metadata[v_same[n]];
                v_at[n] := p_times[v_same[n]];
            ELSE
                v_kind[n] := coalesce(v_kind[v_same[n]], 3);
                v_address[n] := v_address[v_same[n]];
                v_metadata[n] := v_metadata[v_same[n]];
                v_at[n] := v_at[v_same[n]];
            END IF;
        END IF;
    END LOOP;

    RETURN QUERY SELECT q.n, coalesce(v_kind[q.n], 3::smallint), v_address[q.n], v_metadata[q.n], v_at[q.n]
        FROM generate_subscripts(p_owners, 1) AS q(n) ORDER BY q.n;
END
$fn$;
