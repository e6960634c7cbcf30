package config

import "github.com/hashicorp/hcl/v2"

// The schemas of each file kind and block. hcl checks unknown and missing attributes against
// them and suggests the closest known name, so every typo is caught with its position.

var workspaceFileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "workspace"},
		{Type: "defaults"},
		{Type: "catalog", LabelNames: []string{"name"}},
		{Type: "variable", LabelNames: []string{"name"}},
	},
}

var boxFileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "box", LabelNames: []string{"name"}},
		{Type: "variable", LabelNames: []string{"name"}},
	},
}

var semesterFileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "semester", LabelNames: []string{"name"}},
	},
}

var workspaceBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "org", Required: true},
		{Name: "required_version"},
		{Name: "state_dir"},
	},
}

var defaultsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "cpus"}, {Name: "memory"}, {Name: "disk_gb"}, {Name: "providers"}, {Name: "arch"},
	},
}

var catalogSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type"}, {Name: "dir"}, {Name: "url", Required: true}, {Name: "token_env"},
	},
}

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type"}, {Name: "default"}, {Name: "description"}, {Name: "sensitive"},
	},
}

var boxSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "version", Required: true},
		{Name: "from"},
		{Name: "providers"},
		{Name: "arch"},
		{Name: "cpus"},
		{Name: "memory"},
		{Name: "disk_gb"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "source", LabelNames: []string{"kind"}},
		{Type: "provision", LabelNames: []string{"script"}},
		{Type: "test", LabelNames: []string{"script"}},
		{Type: "forward", LabelNames: []string{"name"}},
	},
}

var sourceSchemas = map[string]*hcl.BodySchema{
	"iso": {Attributes: []hcl.AttributeSchema{
		{Name: "url", Required: true}, {Name: "checksum", Required: true}, {Name: "os", Required: true},
	}},
	"image": {Attributes: []hcl.AttributeSchema{
		{Name: "url", Required: true}, {Name: "checksum", Required: true}, {Name: "format"},
	}},
	"bootstrap": {Attributes: []hcl.AttributeSchema{
		{Name: "suite"}, {Name: "mirror"}, {Name: "packages"},
	}},
}

var scriptSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "env"}},
}

var forwardSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "guest", Required: true}, {Name: "host", Required: true}, {Name: "protocol"},
	},
}

var semesterSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "starts", Required: true}, {Name: "ends", Required: true},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "course", LabelNames: []string{"name"}},
	},
}

var courseSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "box", Required: true}, {Name: "version", Required: true},
		{Name: "cpus"}, {Name: "memory"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "forward", LabelNames: []string{"name"}},
	},
}

// Known names, with the closest one suggested when a value is misspelt.
var (
	knownProviders = []string{"libvirt", "virtualbox", "vmware_desktop", "vmware_esxi"}
	knownArches    = []string{"amd64", "arm64"}
	knownOSes      = []string{"debian", "ubuntu"}
	knownFormats   = []string{"qcow2", "ova", "ovf", "vmdk", "raw"}
	knownCatalogs  = []string{"local", "server", "vagrantcloud"}
)
