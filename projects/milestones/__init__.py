"""Node plans (节点计划), standard node templates and pre-construction approvals (前期手续)."""
