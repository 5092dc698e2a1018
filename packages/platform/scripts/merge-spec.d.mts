/** Merges the documented additions into the seed OpenAPI document without narrowing it. */
export declare function mergeSpec(seed: object, additions: object): unknown;
