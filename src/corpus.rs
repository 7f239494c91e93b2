//! Reading the seeds folder: the manifest, the seed files, their encodings.
