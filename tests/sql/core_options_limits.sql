-- The jsonb options reader: nesting depth and integer bounds.
BEGIN;
SELECT plan(3);

-- The reader recursed once per nesting level; with max_stack_depth raised
-- close to the stack size, a deeply nested value overflowed the stack.
-- Containers deeper than three levels are now kept opaque, not walked.
SELECT throws_ok(format($$SELECT supplyml.reorder_policy(1::bigint, 1.0, '{"lead_time": %s%s}')$$,
                        repeat('[', 10000), repeat(']', 10000)),
                 '22023', 'option "lead_time" of supplyml.reorder_policy must be a number',
                 'deeply nested option value');
SELECT throws_ok($$SELECT supplyml.route_score(1, 0, 0, '{"depot": [[[[[1]]]], 2]}')$$,
                 '22023', 'option "depot" of route_score must be an array of numbers',
                 'nested arrays are a wrong type');
-- 9223372036854775807 reads as the double 2^63, which does not fit a bigint.
SELECT throws_ok($$SELECT supplyml.route_optimize(1, 0, 0, '{"seed": 9223372036854775807}')$$,
                 '22023', 'option "seed" of route_optimize is out of range', 'integer option at 2^63');

SELECT * FROM finish();
ROLLBACK;
