package gen

import "strings"

// subjectErrorCases: [subject].
var subjectErrorCases = []loadErrorCase{
	{
		name: "no subject",
		toml: topoProduct,
		want: "topology.toml: [subject] organization is required; set it to your organisation's name (it goes into every certificate)",
	},
	{
		name: "subject without organization",
		toml: "[subject]\ncountry = \"LK\"\n" + topoProduct,
		want: "topology.toml:1:2: [subject] organization is required; set it to your organisation's name (it goes into every certificate)",
	},
	{
		name: "blank organization",
		toml: "[subject]\norganization = \"  \"\n" + topoProduct,
		want: "topology.toml:2:1: [subject] organization is required; set it to your organisation's name (it goes into every certificate)",
	},
	{
		name: "country spelt out",
		toml: topoSubject + "country = \"Sri Lanka\"\n" + topoProduct,
		want: "topology.toml:3:1: [subject] country \"Sri Lanka\" must be a two-letter ISO 3166 code in capitals, e.g. \"LK\"",
	},
	{
		name: "country in lower case",
		toml: topoSubject + "country = \"lk\"\n" + topoProduct,
		want: "topology.toml:3:1: [subject] country \"lk\" must be a two-letter ISO 3166 code in capitals, e.g. \"LK\"",
	},
	{
		// "Ī" is two bytes, each a letter when read as a rune.
		name: "country not in ASCII",
		toml: topoSubject + "country = \"Ī\"\n" + topoProduct,
		want: "topology.toml:3:1: [subject] country \"Ī\" must be a two-letter ISO 3166 code in capitals, e.g. \"LK\"",
	},
	{
		name: "control character in locality",
		toml: topoSubject + "locality = \"Colo\\tmbo\"\n" + topoProduct,
		want: "topology.toml:3:1: [subject] locality must be at most 64 printable characters",
	},
	{
		name: "organization too long",
		toml: "[subject]\norganization = \"" + strings.Repeat("x", 65) + "\"\n" + topoProduct,
		want: "topology.toml:2:1: [subject] organization must be at most 64 printable characters",
	},
}

// productErrorCases: [[product]].
var productErrorCases = []loadErrorCase{
	{
		name: "no product",
		toml: topoSubject,
		want: "topology.toml: no [[product]] table; add one with name, kind, version and hostnames (see `wso2ks init`)",
	},
	{
		name: "product without name",
		toml: topoWithLine(4, ""),
		want: "topology.toml:3:3: product name is empty; give it a name of lower-case letters, digits and '-'",
	},
	{
		name: "product without kind",
		toml: topoWithLine(5, ""),
		want: "topology.toml:3:3: product \"iam\" has no kind; set kind to wso2is, wso2am or wso2mi",
	},
	{
		name: "product without version",
		toml: topoWithLine(6, ""),
		want: "topology.toml:3:3: product \"iam\" has no version; set version to the product's release, e.g. \"7.1.0\"",
	},
	{
		name: "product with empty version",
		toml: topoWithLine(6, "version = \"\""),
		want: "topology.toml:6:1: product \"iam\" has no version; set version to the product's release, e.g. \"7.1.0\"",
	},
	{
		name: "product without hostnames",
		toml: topoWithLine(7, ""),
		want: "topology.toml:3:3: product \"iam\" has no hostnames; list at least one (the first is the certificate's CN)",
	},
	{
		name: "product with empty hostnames",
		toml: topoWithLine(7, "hostnames = []"),
		want: "topology.toml:7:1: product \"iam\" has no hostnames; list at least one (the first is the certificate's CN)",
	},
	{
		name: "product name in capitals",
		toml: topoWithLine(4, "name = \"IAM\""),
		want: "topology.toml:4:1: product name \"IAM\" " + nameRule,
	},
	{
		name: "product name starting with a digit",
		toml: topoWithLine(4, "name = \"1iam\""),
		want: "topology.toml:4:1: product name \"1iam\" " + nameRule,
	},
	{
		name: "product name ending in a dash",
		toml: topoWithLine(4, "name = \"iam-\""),
		want: "topology.toml:4:1: product name \"iam-\" " + nameRule,
	},
	{
		name: "product name too long",
		toml: topoWithLine(4, "name = \""+strings.Repeat("a", 33)+"\""),
		want: "topology.toml:4:1: product name \"" + strings.Repeat("a", 33) + "\" is longer than 32 characters; shorten it",
	},
	{
		name: "product name used twice",
		toml: topoBase + "[[product]]\nname = \"iam\"\nkind = \"wso2am\"\nversion = \"4.5.0\"\nhostnames = [\"api.example.com\"]\n",
		want: "topology.toml:9:1: product name \"iam\" is used twice; give each [[product]] its own name",
	},
	{
		name: "unknown kind",
		toml: topoWithLine(5, "kind = \"wso2esb\""),
		want: "topology.toml:5:1: product \"iam\": kind \"wso2esb\" is unknown; use wso2is, wso2am or wso2mi",
	},
	{
		name: "version without patch",
		toml: topoWithLine(6, "version = \"7.1\""),
		want: "topology.toml:6:1: product \"iam\": version \"7.1\" is not major.minor.patch; write it as the product's release, e.g. \"7.2.0\"",
	},
	{
		name: "version with a leading zero",
		toml: topoWithLine(6, "version = \"7.01.0\""),
		want: "topology.toml:6:1: product \"iam\": version \"7.01.0\" is not major.minor.patch; write it as the product's release, e.g. \"7.2.0\"",
	},
	{
		name: "identity server before deployment.toml",
		toml: topoWithLine(6, "version = \"5.8.0\""),
		want: "topology.toml:6:1: product \"iam\": WSO2 Identity Server 5.8.0 has no deployment.toml (Carbon kernel before 4.5); configure its keystores in carbon.xml by hand, or upgrade to 5.9.0 or later",
	},
	{
		name: "api manager before deployment.toml",
		toml: topoSubject + "[[product]]\nname = \"apim\"\nkind = \"wso2am\"\nversion = \"2.6.0\"\nhostnames = [\"api.example.com\"]\n",
		want: "topology.toml:6:1: product \"apim\": WSO2 API Manager 2.6.0 has no deployment.toml (Carbon kernel before 4.5); configure its keystores in carbon.xml by hand, or upgrade to 3.0.0 or later",
	},
	{
		name: "unknown identity server series",
		toml: topoWithLine(6, "version = \"9.0.0\""),
		want: "topology.toml:6:1: product \"iam\": WSO2 Identity Server version 9.0.0 is not one wso2ks knows; use one of the 5.9, 5.10, 5.11, 6.0, 6.1, 7.0, 7.1, 7.2 series",
	},
	{
		name: "unknown micro integrator series",
		toml: topoSubject + "[[product]]\nname = \"mi\"\nkind = \"wso2mi\"\nversion = \"4.7.0\"\nhostnames = [\"mi.example.com\"]\n",
		want: "topology.toml:6:1: product \"mi\": WSO2 Micro Integrator version 4.7.0 is not one wso2ks knows; use one of the 4.0, 4.1, 4.2, 4.3, 4.4, 4.5, 4.6 series",
	},
	{
		name: "relative install_dir",
		toml: topoBase + "install_dir = \"wso2is-7.1.0\"\n",
		want: "topology.toml:8:1: product \"iam\": install_dir \"wso2is-7.1.0\" must be an absolute path on the target machine",
	},
}
