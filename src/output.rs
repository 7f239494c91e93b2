//! Writing the site: into a temporary folder next to the target, then swapped in.
