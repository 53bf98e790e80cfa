"""Reason codes for verification and platform import (signing room).

Every failed check is reported as a :class:`Reason`: a stable ``code`` (what
scripts and platforms match on — never renamed once shipped), a bilingual
message and the details (key id, file, role …).  The codes and their meaning
are listed in ``docs/signing.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: code → (zh, en).  ``{name}`` placeholders are filled from the details.
MESSAGES: dict[str, tuple[str, str]] = {
    "envelope.malformed": ("推荐文件不是有效的 DSSE 信封：{detail}",
                           "the file is not a valid DSSE envelope: {detail}"),
    "envelope.bad_base64": ("载荷不是有效的 base64：{detail}",
                            "the payload is not valid base64: {detail}"),
    "envelope.bad_payload_type": ("载荷类型为 {payload_type}，应为 application/vnd.in-toto+json",
                                  "payload type is {payload_type}, expected application/vnd.in-toto+json"),
    "envelope.no_signatures": ("信封中没有签名", "the envelope carries no signature"),
    "signature.bad_base64": ("第 {index} 个签名（{keyid}）不是有效的 base64",
                             "signature {index} ({keyid}) is not valid base64"),
    "signature.invalid": ("第 {index} 个签名（{keyid}）与内容不符（内容被改动或签名被替换）",
                          "signature {index} ({keyid}) does not match the content (altered content or swapped signature)"),
    "signature.wrong_algorithm": ("第 {index} 个签名标注的算法为 {label}，但信任库中该密钥（{trusted_keyid}）的算法是 {algorithm}",
                                  "signature {index} is labelled {label}, but the trust store holds this key ({trusted_keyid}) as {algorithm}"),
    "signature.none_valid": ("没有任何可信密钥的有效签名，未读取推荐内容",
                             "no valid signature by a trusted key; the content was not read"),
    "key.unknown": ("密钥 {keyid} 不在信任库中", "key {keyid} is not in the trust store"),
    "key.algorithm_unavailable": ("无法核验第 {index} 个签名：本机未安装 {algorithm} 算法所需的库（{detail}）",
                                  "signature {index} cannot be checked: this installation lacks the {algorithm} library ({detail})"),
    "key.wrong_role": ("密钥 {keyid} 在信任库中的角色为 {role}，此处需要 {expected}",
                       "key {keyid} has role {role} in the trust store, {expected} is needed here"),
    "key.wrong_institution": ("密钥 {keyid} 属于 {institution}，课程属于 {course_institution}",
                              "key {keyid} belongs to {institution}, the course to {course_institution}"),
    "key.not_yet_valid": ("密钥 {keyid} 自 {not_before} 起才有效", "key {keyid} is valid only from {not_before}"),
    "key.expired": ("密钥 {keyid} 已于 {not_after} 过期", "key {keyid} expired at {not_after}"),
    "key.revoked": ("密钥 {keyid} 已于 {at} 吊销：{reason}", "key {keyid} was revoked at {at}: {reason}"),
    "payload.malformed": ("载荷不是 UTF-8 JSON 对象：{detail}", "the payload is not a UTF-8 JSON object: {detail}"),
    "statement.bad_type": ("声明类型为 {type}，应为 https://in-toto.io/Statement/v1",
                           "statement type is {type}, expected https://in-toto.io/Statement/v1"),
    "statement.bad_predicate_type": ("谓词类型为 {predicate_type}，不是课程推荐",
                                     "predicate type is {predicate_type}, not a course recommendation"),
    "predicate.invalid": ("推荐内容不符合格式：{detail}", "the recommendation does not match its schema: {detail}"),
    "statement.package_digest": ("课程包摘要与文件清单不一致", "the package digest does not match the file list"),
    "reviewer.not_signed": ("推荐中写明的审核人密钥 {keyid} 没有有效签名",
                            "the reviewer named in the recommendation ({keyid}) has no valid signature"),
    "roles.missing": ("缺少角色 {role} 的签名（需要 {needed} 个不同的持有人，现有 {have} 个）",
                      "role {role} has not signed (needs {needed} distinct key holders, has {have})"),
    "reviewers.too_few": ("需要 {needed} 名审核人签名，只有 {have} 名",
                          "{needed} reviewers' signatures are required, only {have} signed"),
    "recommendation.expired": ("推荐已于 {valid_until} 过期", "the recommendation expired at {valid_until}"),
    "recommendation.not_yet_valid": ("推荐的签发时间 {issued_at} 晚于核验时间",
                                     "the recommendation was issued at {issued_at}, after the verification time"),
    "decision.not_recommend": ("结论为“{decision_label}”（{decision}）：这是退回记录，不是推荐，平台不据此接受课程",
                               "the decision is '{decision_label}' ({decision}): a send-back record, not a "
                               "recommendation; a platform does not accept the course on it"),
    "package.unreadable": ("无法读取课程包：{detail}", "cannot read the package: {detail}"),
    "package.file_differs": ("文件 {file} 与签名时不同（{what}）", "file {file} differs from what was signed ({what})"),
    "package.file_missing": ("文件 {file} 缺失", "file {file} is missing"),
    "package.file_extra": ("文件 {file} 不在推荐中", "file {file} is not in the recommendation"),
    "audience.other_platform": ("推荐发给 {audience}，本平台为 {platform}",
                                "the recommendation is addressed to {audience}, this platform is {platform}"),
    "audience.platform_unnamed": ("推荐发给 {audience}，但本平台没有名称（请用 --platform）",
                                  "the recommendation is addressed to {audience} but this platform has no name (use --platform)"),
    "replay.older": ("已接受同一课程更新的推荐（序号 {current}），此推荐序号 {sequence}，视为重放",
                     "a newer recommendation for this course is accepted (sequence {current}); this one has sequence {sequence}: replay"),
    "replay.same_sequence": ("同一课程已接受序号 {sequence} 的另一份推荐 {current_id}",
                             "another recommendation ({current_id}) with sequence {sequence} is accepted for this course"),
    "replay.id_conflict": ("推荐编号 {id} 已以不同内容导入过", "recommendation id {id} was imported before with different content"),
}


@dataclass(slots=True)
class Reason:
    """One failed check: stable code, details, bilingual message."""

    code: str
    details: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "zh") -> str:
        zh, en = MESSAGES.get(self.code, (self.code, self.code))
        template = zh if lang == "zh" else en
        values = _Defaults({k: ("" if v is None else v) for k, v in self.details.items()})
        if "decision" in values:  # the decision as people call it, beside its value
            from reviewer.review.model import DECISION_LABELS

            label = DECISION_LABELS.get(str(values["decision"]))
            values["decision_label"] = label[lang if lang in label else "zh"] if label else values["decision"]
        text = template.format_map(values)
        problem = self.details.get("problem")
        if problem and "{problem}" not in template:  # what is wrong with the bytes themselves
            text += f"：{problem}" if lang == "zh" else f": {problem}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": {"zh": self.message("zh"), "en": self.message("en")},
                **({"details": self.details} if self.details else {})}


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def reason(code: str, **details: Any) -> Reason:
    if code not in MESSAGES:
        raise ValueError(f"unknown reason code {code}")
    return Reason(code, details)
