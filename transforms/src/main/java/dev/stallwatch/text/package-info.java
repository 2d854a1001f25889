/**
 * Text formats with no knowledge of the domain: a strict JSON reader and writer, CSV records, and
 * SPEC §1's time formats.
 */
package dev.stallwatch.text;
