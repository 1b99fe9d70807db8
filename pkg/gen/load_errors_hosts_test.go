package gen

import "strings"

// hostnameErrorCases: hostnames and instances.
var hostnameErrorCases = []loadErrorCase{
	{
		name: "underscore in hostname",
		toml: topoWithLine(7, "hostnames = [\"iam.example.com\", \"iam_1.example.com\"]"),
		want: "topology.toml:7:33: product \"iam\": hostname \"iam_1.example.com\" " + dnsRule,
	},
	{
		name: "wildcard hostname",
		toml: topoWithLine(7, "hostnames = [\"*.example.com\"]"),
		want: "topology.toml:7:14: product \"iam\": hostname \"*.example.com\" is a wildcard; list each host name (wso2ks does not issue wildcard certificates)",
	},
	{
		name: "hostname with a trailing dot",
		toml: topoWithLine(7, "hostnames = [\"iam.example.com.\"]"),
		want: "topology.toml:7:14: product \"iam\": hostname \"iam.example.com.\" ends with '.'; write it without the trailing dot",
	},
	{
		name: "empty hostname",
		toml: topoWithLine(7, "hostnames = [\"\"]"),
		want: "topology.toml:7:14: product \"iam\": hostname is empty; remove it or write a DNS name or IP address",
	},
	{
		name: "hostname too long",
		toml: topoWithLine(7, "hostnames = [\""+strings.Repeat("abcdefghi.", 26)+"com\"]"),
		want: "topology.toml:7:14: product \"iam\": hostname \"" + strings.Repeat("abcdefghi.", 26) + "com\" is longer than 253 characters; shorten it",
	},
	{
		name: "invalid instance name",
		toml: topoBase + "instances = [\"iam-0.internal\", \"iam-1..internal\"]\n",
		want: "topology.toml:8:32: product \"iam\": hostname \"iam-1..internal\" " + dnsRule,
	},
	{
		name: "hostname listed twice",
		toml: topoWithLine(7, "hostnames = [\"iam.example.com\", \"IAM.example.com\"]"),
		want: "topology.toml:7:33: product \"iam\": \"IAM.example.com\" is listed twice (also in hostnames); list each name once",
	},
	{
		name: "hostname also an instance",
		toml: topoBase + "instances = [\"iam-0.internal\", \"iam.example.com\"]\n",
		want: "topology.toml:8:32: product \"iam\": \"iam.example.com\" is listed twice (also in hostnames); list each name once",
	},
	{
		name: "instance listed twice",
		toml: topoBase + "instances = [\n  \"iam-0.internal\",\n  \"iam-0.internal\",\n]\n",
		want: "topology.toml:10:3: product \"iam\": \"iam-0.internal\" is listed twice (also in instances); list each name once",
	},
	{
		name: "unknown placeholder",
		toml: topoWithLine(7, "hostnames = [\"iam.${region}.example.com\"]"),
		want: "topology.toml:7:14: product \"iam\": \"iam.${region}.example.com\" holds an unknown placeholder \"${region}\"; only ${env} (the environment's name) is expanded",
	},
	{
		name: "stray dollar",
		toml: topoWithLine(7, "hostnames = [\"iam$1.example.com\"]"),
		want: "topology.toml:7:14: product \"iam\": \"iam$1.example.com\" holds a '$'; only ${env} (the environment's name) is expanded",
	},
	{
		// 4 + 23 + 1 + 36 = 64 characters in the first label in
		// production-europe-west1; 44 in dev.
		name: "label too long once ${env} is expanded",
		toml: topoWithLine(7, "hostnames = [\"iam-${env}-abcdefghijklmnopqrstuvwxyz0123456789.example.com\"]") +
			"[environment.dev]\n[environment.production-europe-west1]\n",
		want: "topology.toml:7:14: product \"iam\" in environment \"production-europe-west1\": hostname \"iam-production-europe-west1-abcdefghijklmnopqrstuvwxyz0123456789.example.com\" " + dnsRule,
	},
}
