"""The policy engine: every answer computed from rules/ with its trace and citations.

Pure Python: nothing here imports Rasa.
"""
from .assistance import AssistanceInputs, ChainInputs, medical_assistance, whole_chain
from .cap import CapInputs, critical_illness_cap
from .context import LOCAL_OFFICE, resolve_rule_set
from .critical import CriticalInputs, DrugInputs, critical_illness, special_drug
from .errors import (InvalidInputError, NotCoveredError, NotInForceError, PolicyError,
                     RuleFileError)
from .inpatient import InpatientInputs, inpatient
from .model import Citation, Part, Result, Step
from .outpatient import AccountInputs, OutpatientInputs, outpatient, personal_account
from .regions import RegionMatch, resolve_region
from .render import render
from .rules import RuleBook, load_rulebook
from .waiting import WaitingInputs, waiting_period

CALCULATORS = {
    "waiting": waiting_period,
    "cap": critical_illness_cap,
    "inpatient": inpatient,
    "outpatient": outpatient,
    "account": personal_account,
    "critical": critical_illness,
    "drug": special_drug,
    "assistance": medical_assistance,
    "chain": whole_chain,
}

__all__ = [
    "AccountInputs", "AssistanceInputs", "CALCULATORS", "CapInputs", "ChainInputs", "Citation",
    "CriticalInputs", "DrugInputs", "InpatientInputs", "InvalidInputError", "LOCAL_OFFICE",
    "NotCoveredError", "NotInForceError", "OutpatientInputs", "Part", "PolicyError",
    "RegionMatch", "Result", "RuleBook", "RuleFileError", "Step", "WaitingInputs",
    "critical_illness", "critical_illness_cap", "inpatient", "load_rulebook",
    "medical_assistance", "outpatient", "personal_account", "render", "resolve_region",
    "resolve_rule_set", "special_drug", "waiting_period", "whole_chain",
]
