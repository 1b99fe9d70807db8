// Package gen turns a wso2ks topology into a Plan: the stores, aliases,
// subjects, SANs, passwords' names and file paths of a bundle, for every
// environment and product. It is pure: it reads no files of its own (the
// loader is handed the topology's bytes and a way to read the files the
// topology names), makes no keys and writes nothing, so `wso2ks plan` can
// print exactly what `wso2ks generate` will write.
package gen
