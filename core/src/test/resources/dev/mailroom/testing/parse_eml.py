"""Parses .eml files with Python's email package (policy=default) for Mailroom's tests, as an
independent MIME parser. For each file it prints 'FILE <path>', then one line per finding; every text
is hex-encoded UTF-8 so that no quoting is needed:
  ATTACHMENT <filename> <content-type with params> <content-id> <size> <disposition>
  DEFECT <where: what>
  LONGLINE <a header line over 76 characters that holds an encoded word or RFC 2231 value>
  HEADER <name> <decoded value>      (top-level headers)
  BODY <content-type> <text>         (text parts that are not attachments)
"""
import email
import email.policy
import sys


def h(text):
    return (text or "").encode("utf-8", "surrogateescape").hex() or "-"


def defects_of(part):
    found = [type(d).__name__ + ": " + str(d) for d in part.defects]
    for name, value in part.items():
        for d in getattr(value, "defects", ()):
            found.append(name + ": " + type(d).__name__ + ": " + str(d))
    return found


def main():
    for path in sys.argv[1:]:
        print("FILE " + path)
        with open(path, "rb") as f:
            raw = f.read()
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        for name, value in msg.items():
            print("HEADER " + h(name) + " " + h(str(value)))
        for part in msg.walk():
            for d in defects_of(part):
                print("DEFECT " + h(d))
            if part.is_multipart():
                continue
            disposition = part.get_content_disposition()
            if disposition in ("attachment", "inline"):
                payload = part.get_payload(decode=True) or b""
                print("ATTACHMENT " + h(part.get_filename()) + " " + h(str(part["Content-Type"] or ""))
                      + " " + h(part.get("Content-ID")) + " " + str(len(payload)) + " " + disposition)
            elif part.get_content_maintype() == "text":
                print("BODY " + h(part.get_content_type()) + " " + h(part.get_content()))
        for line in raw.split(b"\r\n"):
            if len(line) > 76 and (b"=?" in line or b"*=" in line) and not line.startswith(b"DKIM-Signature"):
                print("LONGLINE " + h(line.decode("utf-8", "replace")))


main()
