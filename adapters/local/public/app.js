// wesaid playground page. Renders the core's platform-neutral messages with
// DOM calls only: every piece of message text goes in through textContent.
"use strict";

(function () {
  const TZ = "Europe/London"; // wesaid's zone when nothing says otherwise
  const $ = (id) => document.getElementById(id);

  const view = {
    personas: [],
    people: [], // everyone a people picker offers: { externalId, displayName }
    channels: [],
    persona: null, // persona object
    place: "direct", // "direct" | "channel:<id>"
    entries: new Map(), // id -> entry, this view only
    known: new Set(), // ids seen in any view, so a new one can be counted as unread
    unread: new Map(), // place -> Set of ids
    clockOffset: 0, // playground time minus this computer's time
    zone: null, // the zone wesaid uses for this persona (their own choice, else this browser's), for the clock and message times
    canSkip: false,
  };

  // ---------------------------------------------------------------- small helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    return "e-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  /** This browser's time zone, sent with each thing the persona does, as Slack and Teams send theirs. */
  function browserZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
    } catch (error) {
      return undefined;
    }
  }

  async function request(method, path, body) {
    if (body !== undefined && (path === "/playground/command" || path === "/playground/action")) body = Object.assign({ timeZone: browserZone() }, body);
    const response = await fetch(path, {
      method,
      headers: body === undefined ? { accept: "application/json" } : { "content-type": "application/json", accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    if (!response.ok) throw new Error(data.error || "Something went wrong. Please try again.");
    return data;
  }

  /** "<@persona-commissioner>" becomes "@Priya", "<@sample-tom>" "@Tom (young person)". */
  function withNames(text) {
    return String(text).replace(/<@([^>|]+)(?:\|([^>]*))?>/g, (whole, id, label) => {
      const persona = view.personas.find((p) => p.externalId === id);
      const person = view.people.find((p) => p.externalId === id);
      return "@" + (persona ? persona.name : person ? person.displayName : label || id);
    });
  }

  /** Date formats in the zone the persona is in, made once for each zone. */
  const formatsByZone = new Map();
  function timeFormats() {
    const zone = view.zone || TZ;
    if (!formatsByZone.has(zone)) {
      formatsByZone.set(zone, {
        long: new Intl.DateTimeFormat("en-GB", { timeZone: zone, weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit", hour12: true }),
        short: new Intl.DateTimeFormat("en-GB", { timeZone: zone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
      });
    }
    return formatsByZone.get(zone);
  }
  const shortTime = { format: (date) => timeFormats().short.format(date) };

  /**
   * The persona's zone, as wesaid holds it (null for someone it has not met yet: then this browser's, which
   * wesaid takes when they join). The clock and the times on messages follow it, so a Tokyo persona sees Tokyo time.
   */
  function setZone(zone) {
    const next = zone || browserZone() || TZ;
    if (next === view.zone) return;
    view.zone = next;
    renderNow();
    for (const time of document.querySelectorAll("#messages time[datetime]")) time.textContent = shortTime.format(new Date(time.getAttribute("datetime")));
  }

  function announce(text) {
    const node = $("announcer");
    node.append(el("p", { text }));
    while (node.childNodes.length > 5) node.firstChild.remove();
  }

  function setStatus(text) {
    $("status").textContent = text;
  }

  // ---------------------------------------------------------------- where am I

  function placeKeyForPersona(entry) {
    if (entry.visibleTo && entry.visibleTo !== view.persona.externalId) return null;
    if (entry.where.kind === "direct") return entry.where.to === view.persona.externalId ? "direct" : null;
    return "channel:" + entry.where.channel;
  }

  function placeLabel(place) {
    if (place === "direct") return "Direct messages";
    const channel = view.channels.find((c) => "channel:" + c.externalId === place);
    return "#" + (channel ? channel.name : place.slice(8));
  }

  function readHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    const persona = view.personas.find((p) => p.key === params.get("persona")) || view.personas.find((p) => p.key === "facilitator") || view.personas[0];
    const place = params.get("place");
    const valid = place === "direct" || view.channels.some((c) => "channel:" + c.externalId === place);
    return { persona, place: valid ? place : "direct" };
  }

  function writeHash() {
    history.replaceState(null, "", "#persona=" + encodeURIComponent(view.persona.key) + "&place=" + encodeURIComponent(view.place));
  }

  // ---------------------------------------------------------------- rendering messages

  function renderEntry(entry) {
    const classes = ["entry", "entry--" + entry.kind];
    const item = el("li", { class: classes.join(" "), id: "entry-" + entry.id, "data-id": entry.id, tabindex: "-1" });
    const meta = el("p", { class: "meta" });
    meta.append(el("span", { class: "from", text: entry.kind === "typed" ? "You typed" : "wesaid (bot)" }));
    meta.append(el("time", { datetime: entry.at, text: shortTime.format(new Date(entry.at)) }));
    if (entry.visibleTo && entry.kind !== "typed" && entry.where.kind === "channel") meta.append(el("span", { class: "only-you", text: "Only you can see this" }));
    item.append(meta);

    if (entry.kind === "typed") {
      item.append(el("p", { class: "typed", text: entry.text || "" }));
      return item;
    }
    const message = entry.message || { summary: "", blocks: [] };
    message.blocks.forEach((block, index) => {
      const node = renderBlock(entry, block, index);
      if (node) item.append(node);
    });
    if (message.blocks.length === 0) item.append(el("p", { text: withNames(message.summary) }));
    return item;
  }

  function renderBlock(entry, block, index) {
    switch (block.kind) {
      case "heading":
        return el("h3", { text: withNames(block.text) });
      case "text":
        return el("p", { text: withNames(block.text) });
      case "note":
        return el("p", { class: "note", text: withNames(block.text) });
      case "divider":
        return el("hr");
      case "facts": {
        const list = el("dl", { class: "facts" });
        for (const fact of block.facts) list.append(el("div", {}, el("dt", { text: fact.label }), el("dd", { text: withNames(fact.value) })));
        return list;
      }
      case "buttons":
        return renderButtons(entry, block, index);
      case "form":
        return renderForm(entry, block, index);
      case "file": {
        const href = "/playground/files/" + encodeURIComponent(entry.id) + "/" + index + "?persona=" + encodeURIComponent(view.persona.key);
        return el("p", {}, el("a", { class: "file-link", href, download: block.filename, text: block.label }), document.createTextNode(" (" + block.filename + ")"));
      }
      case "link":
        return el("p", {}, el("a", { class: "file-link", href: block.url, target: "_blank", rel: "noopener noreferrer", text: block.label }));
      case "image":
        return el(
          "figure",
          { class: "chart" },
          el("img", { src: "data:image/png;base64," + block.png, alt: block.alt }),
          el("figcaption", { text: block.title }),
        );
      default:
        return null;
    }
  }

  function renderButtons(entry, block, index) {
    const row = el("div", { class: "button-row" });
    block.buttons.forEach((button, position) => {
      const style = button.style === "primary" ? " btn--primary" : button.style === "danger" ? " btn--danger" : "";
      row.append(
        el("button", {
          type: "button",
          class: "btn" + style,
          text: button.label,
          onclick: (event) => (button.confirm ? askFirst(event.currentTarget, entry, index, position, button) : press(event.currentTarget, entry, index, position)),
        }),
      );
    });
    return row;
  }

  /** A plain-English check before a destructive button, in the page rather than a pop-up. */
  function askFirst(origin, entry, blockIndex, position, button) {
    const row = origin.parentElement;
    const box = el("div", { class: "confirm", role: "group", "aria-label": "Please confirm" });
    const question = el("p", { text: withNames(button.confirm), tabindex: "-1" });
    const yes = el("button", { type: "button", class: "btn btn--danger", text: "Yes, " + button.label.charAt(0).toLowerCase() + button.label.slice(1) });
    const no = el("button", { type: "button", class: "btn", text: "No, go back" });
    yes.addEventListener("click", () => press(yes, entry, blockIndex, position));
    no.addEventListener("click", () => {
      box.remove();
      row.hidden = false;
      origin.focus();
    });
    box.append(question, el("div", { class: "button-row" }, yes, no));
    row.hidden = true;
    row.after(box);
    question.focus();
  }

  async function press(buttonNode, entry, blockIndex, position) {
    buttonNode.disabled = true;
    try {
      const result = await request("POST", "/playground/action", {
        persona: view.persona.key,
        messageId: entry.id,
        eventId: newId(),
        control: { kind: "button", block: blockIndex, button: position },
      });
      showResult(result);
    } catch (error) {
      setStatus(error.message);
    } finally {
      if (buttonNode.isConnected) buttonNode.disabled = false;
    }
  }

  function fieldId(entry, blockIndex, input, suffix) {
    return "f-" + entry.id + "-" + blockIndex + "-" + input.id + (suffix === undefined ? "" : "-" + suffix);
  }

  function renderForm(entry, block, index) {
    const form = el("form", { class: "card-form", novalidate: true });
    const group = el("fieldset", {}, el("legend", { text: withNames(block.title) }));
    for (const input of block.inputs) group.append(renderInput(entry, index, input));
    const error = el("p", { class: "form-error", id: "error-" + entry.id + "-" + index, role: "alert", hidden: true });
    group.append(error, el("button", { type: "submit", class: "btn btn--primary", text: block.submitLabel }));
    form.append(group);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const submit = form.querySelector('button[type="submit"]');
      submit.disabled = true;
      clearFormErrors(form, error);
      try {
        const result = await request("POST", "/playground/action", {
          persona: view.persona.key,
          messageId: entry.id,
          eventId: newId(),
          control: { kind: "form", block: index, values: formValues(form, block) },
        });
        if (result.error) showFormError(form, error, result.error);
        showResult(result);
      } catch (failure) {
        error.textContent = failure.message;
        error.hidden = false;
      } finally {
        if (submit.isConnected) submit.disabled = false;
      }
    });
    return form;
  }

  function clearFormErrors(form, error) {
    error.hidden = true;
    error.textContent = "";
    for (const field of form.querySelectorAll(".field--invalid")) {
      field.classList.remove("field--invalid");
      for (const control of field.querySelectorAll("[aria-invalid]")) {
        control.removeAttribute("aria-invalid");
        control.removeAttribute("aria-errormessage");
      }
    }
  }

  /** Why a form was refused, in the form: next to the field it is about (which gets focus), and above the button. */
  function showFormError(form, error, problem) {
    error.textContent = problem.message;
    error.hidden = false;
    const field = problem.field ? form.querySelector('[data-input="' + CSS.escape(problem.field) + '"]') : null;
    if (!field) return;
    field.classList.add("field--invalid");
    const controls = [...field.querySelectorAll("input, textarea, select")];
    for (const control of controls) {
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-errormessage", error.id);
    }
    if (controls[0]) controls[0].focus();
  }

  /** What a person has typed or chosen in a message's forms, so redrawing the message keeps it. */
  function formState(node) {
    const state = new Map();
    for (const control of node.querySelectorAll("input, textarea, select")) {
      if (!control.id && !control.name) continue;
      const key = control.id || control.name;
      state.set(key, control.type === "checkbox" || control.type === "radio" ? control.checked : control.value);
    }
    return state;
  }

  /** Carries over what the person changed (typed differs from what the old message started with); the new message wins elsewhere. */
  function restoreFormState(node, typed, was) {
    for (const control of node.querySelectorAll("input, textarea, select")) {
      const key = control.id || control.name;
      if (!typed.has(key) || !was.has(key) || typed.get(key) === was.get(key)) continue;
      if (control.type === "checkbox" || control.type === "radio") control.checked = typed.get(key);
      else control.value = typed.get(key);
    }
  }

  function labelText(input) {
    return withNames(input.label) + (input.optional ? " (optional)" : "");
  }

  function renderInput(entry, blockIndex, input) {
    const id = fieldId(entry, blockIndex, input);
    const field = el("div", { class: "field", "data-input": input.id });
    switch (input.kind) {
      case "text": {
        const control = input.multiline
          ? el("textarea", { id, name: input.id, rows: "4", maxlength: input.maxLength, placeholder: input.placeholder })
          : el("input", { id, name: input.id, type: "text", maxlength: input.maxLength, placeholder: input.placeholder, autocomplete: "off" });
        if (input.initial) control.value = input.initial;
        field.append(el("label", { for: id, text: labelText(input) }), control);
        return field;
      }
      case "datetime": {
        const control = el("input", { id, name: input.id, type: "datetime-local" });
        if (input.initial) control.value = toLocalInput(input.initial);
        field.append(el("label", { for: id, text: labelText(input) }), control);
        return field;
      }
      case "scale": {
        const endsId = id + "-ends";
        const group = el("fieldset", { "aria-describedby": input.minLabel || input.maxLabel ? endsId : undefined }, el("legend", { text: labelText(input) }));
        const row = el("div", { class: "scale" });
        for (let n = input.min; n <= input.max; n++) {
          const radio = el("input", { type: "radio", name: id, value: String(n), id: id + "-" + n });
          if (input.initial === n) radio.checked = true;
          row.append(el("label", { for: id + "-" + n }, radio, el("span", { text: String(n) })));
        }
        group.append(row);
        if (input.minLabel || input.maxLabel) {
          const ends = [input.minLabel ? input.min + " means " + input.minLabel : "", input.maxLabel ? input.max + " means " + input.maxLabel : ""].filter(Boolean).join(". ");
          group.append(el("p", { class: "scale-ends", id: endsId, text: ends + "." }));
        }
        field.append(group);
        return field;
      }
      case "single":
      case "multi": {
        const group = el("fieldset", {}, el("legend", { text: labelText(input) }));
        const list = el("div", { class: "choices" });
        const initial = input.kind === "multi" ? input.initial || [] : input.initial === undefined ? [] : [input.initial];
        input.options.forEach((option, n) => {
          const optionId = id + "-" + n;
          const control = el("input", { type: input.kind === "multi" ? "checkbox" : "radio", name: id, value: option.value, id: optionId });
          if (initial.includes(option.value)) control.checked = true;
          list.append(el("label", { for: optionId }, control, el("span", { text: withNames(option.label) })));
        });
        group.append(list);
        field.append(group);
        return field;
      }
      case "people":
        if (input.multiple === false) field.append(el("label", { for: id, text: labelText(input) }), personSelect(id, input));
        else field.append(peopleCheckboxes(id, input));
        return field;
      default:
        return field;
    }
  }

  /** A people picker for several people: one checkbox per person the playground knows. */
  function peopleCheckboxes(id, input) {
    const group = el("fieldset", {}, el("legend", { text: labelText(input) }));
    const list = el("div", { class: "choices" });
    view.people.forEach((person, n) => {
      const optionId = id + "-" + n;
      const control = el("input", { type: "checkbox", name: id, value: person.externalId, id: optionId });
      list.append(el("label", { for: optionId }, control, el("span", { text: person.displayName })));
    });
    group.append(list);
    return group;
  }

  /** A people picker for one person: a list to choose from, empty until someone is chosen. */
  function personSelect(id, input) {
    const select = el("select", { id, name: input.id }, el("option", { value: "", text: "Choose a person" }));
    for (const person of view.people) select.append(el("option", { value: person.externalId, text: person.displayName }));
    return select;
  }

  function formValues(form, block) {
    const values = {};
    for (const input of block.inputs) {
      const field = form.querySelector('[data-input="' + CSS.escape(input.id) + '"]');
      if (!field) continue;
      if (input.kind === "text") values[input.id] = field.querySelector("input, textarea").value;
      // Sent as typed ("2026-03-10T14:00"): the core reads it in the person's own time zone, as its label says.
      else if (input.kind === "datetime") values[input.id] = field.querySelector("input").value;
      else if (input.kind === "multi") values[input.id] = [...field.querySelectorAll("input:checked")].map((c) => c.value);
      // Sent as the chosen people's ids: the playground turns them into the mentions the core reads.
      else if (input.kind === "people" && input.multiple === false) values[input.id] = field.querySelector("select").value ? [field.querySelector("select").value] : [];
      else if (input.kind === "people") values[input.id] = [...field.querySelectorAll("input:checked")].map((c) => c.value);
      else {
        const checked = field.querySelector("input:checked");
        if (checked) values[input.id] = checked.value;
      }
    }
    return values;
  }

  /** A stored time as the date-and-time box shows it: wall time in the programme's zone. */
  function toLocalInput(value) {
    const plain = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})$/.exec(value);
    if (plain) return plain[1] + "T" + plain[2];
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return "";
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-GB", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
        .formatToParts(date)
        .map((p) => [p.type, p.value]),
    );
    return parts.year + "-" + parts.month + "-" + parts.day + "T" + parts.hour + ":" + parts.minute;
  }

  // ---------------------------------------------------------------- the list

  function upsert(entry, { quiet } = {}) {
    const isNew = !view.known.has(entry.id);
    view.known.add(entry.id);
    const key = placeKeyForPersona(entry);
    if (key === null) return;
    if (key !== view.place) {
      if (isNew && entry.kind !== "typed") {
        if (!view.unread.has(key)) view.unread.set(key, new Set());
        view.unread.get(key).add(entry.id);
        renderPlaces();
        if (!quiet) announce("New in " + placeLabel(key) + ": " + withNames(entry.message ? entry.message.summary : entry.text || ""));
      }
      return;
    }
    const list = $("messages");
    const old = document.getElementById("entry-" + entry.id);
    const known = view.entries.get(entry.id);
    // The same message again (this tab's own reply, then the live stream): leave it as it is,
    // so nothing the person is typing or the error a form shows is wiped.
    if (old && known && JSON.stringify(known.message || known.text) === JSON.stringify(entry.message || entry.text)) return;
    const hadFocus = old && old.contains(document.activeElement);
    const focusedId = hadFocus && document.activeElement.id;
    const node = renderEntry(entry);
    view.entries.set(entry.id, entry);
    if (old) {
      const typed = formState(old);
      const was = known ? formState(renderEntry(known)) : typed;
      old.replaceWith(node);
      restoreFormState(node, typed, was);
    } else {
      const after = [...list.children].find((child) => (view.entries.get(child.dataset.id) || { seq: 0 }).seq > entry.seq);
      list.insertBefore(node, after || null);
      if (!quiet && entry.kind !== "typed") announce("New message: " + withNames(entry.message ? entry.message.summary : ""));
      if (!quiet) reveal(node);
    }
    if (hadFocus) (focusedId && document.getElementById(focusedId)) ? document.getElementById(focusedId).focus() : node.focus();
    $("empty").hidden = list.children.length > 0;
  }

  function removeEntries(ids) {
    for (const id of ids) {
      view.entries.delete(id);
      const node = document.getElementById("entry-" + id);
      if (node) node.remove();
    }
    $("empty").hidden = $("messages").children.length > 0;
  }

  function showResult(result) {
    if ("timeZone" in result) setZone(result.timeZone);
    for (const entry of result.entries || []) upsert(entry, { quiet: false });
  }

  async function loadPlace() {
    const placeParam = view.place === "direct" ? "direct" : view.place;
    const data = await request("GET", "/playground/messages?persona=" + encodeURIComponent(view.persona.key) + "&place=" + encodeURIComponent(placeParam));
    setZone(data.timeZone);
    view.entries.clear();
    $("messages").replaceChildren();
    view.unread.delete(view.place);
    for (const entry of data.entries) upsert(entry, { quiet: true });
    $("empty").hidden = data.entries.length > 0;
    const channel = view.channels.find((c) => "channel:" + c.externalId === view.place);
    $("conversation-heading").textContent = view.place === "direct" ? "Direct messages between " + view.persona.displayName + " and wesaid" : placeLabel(view.place) + " channel";
    $("conversation-about").textContent =
      view.place === "direct"
        ? "Only " + view.persona.name + " sees these. Buttons and forms work here just as in Slack or Teams."
        : (channel ? channel.about : "") + " Everyone in the channel sees its posts; replies marked \"Only you can see this\" are just for you.";
    $("empty").textContent = view.place === "direct" ? "No messages yet. Type help below, or press Load the demo." : "Nothing posted here yet.";
    $("command-label").textContent = "Type to wesaid as " + view.persona.name + (view.place === "direct" ? "" : " in " + placeLabel(view.place));
    renderPlaces();
    const last = $("messages").lastElementChild;
    if (last) reveal(last);
  }

  /** Scrolls to the newest message; one taller than the box is shown from its top, so its heading is read first. */
  function reveal(node) {
    const scroller = $("scroller");
    const tall = node.offsetHeight > scroller.clientHeight;
    scroller.scrollTop = tall ? node.offsetTop : scroller.scrollHeight; // the scroller is the offset parent
  }

  // ---------------------------------------------------------------- controls

  function renderPersonas() {
    const list = $("persona-list");
    list.replaceChildren();
    for (const persona of view.personas) {
      const id = "persona-" + persona.key;
      const radio = el("input", { type: "radio", name: "persona", id, value: persona.key });
      radio.checked = persona === view.persona;
      radio.addEventListener("change", () => choosePersona(persona));
      list.append(el("label", { for: id }, radio, el("span", { text: persona.displayName })));
    }
    $("persona-about").textContent = view.persona.about;
  }

  async function choosePersona(persona) {
    view.persona = persona;
    view.unread.clear();
    $("persona-about").textContent = persona.about;
    writeHash();
    await loadPlace();
    announce("You are now " + persona.displayName + ". Showing " + placeLabel(view.place) + ".");
  }

  function renderPlaces() {
    const list = $("places");
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.place : undefined;
    list.replaceChildren();
    const places = ["direct", ...view.channels.map((c) => "channel:" + c.externalId)];
    for (const place of places) {
      const unread = view.unread.get(place);
      const button = el("button", { type: "button", "data-place": place, "aria-current": place === view.place ? "page" : undefined }, el("span", { text: placeLabel(place) }));
      if (unread && unread.size > 0) {
        button.append(el("span", { class: "badge" }, el("span", { text: String(unread.size) }), el("span", { class: "visually-hidden", text: " new" })));
      }
      button.addEventListener("click", async () => {
        view.place = place;
        writeHash();
        await loadPlace();
        announce("Showing " + placeLabel(place) + ".");
      });
      list.append(el("li", {}, button));
      if (focused === place) button.focus();
    }
  }

  function showNow(iso) {
    view.clockOffset = new Date(iso).getTime() - Date.now();
    renderNow();
  }

  function renderNow() {
    const now = new Date(Date.now() + view.clockOffset);
    $("now").textContent = timeFormats().long.format(now).replace(" at ", ", ") + " (" + (view.zone || TZ) + " time)";
  }

  async function skip(button) {
    const by = button.dataset.skip;
    const all = [...document.querySelectorAll("[data-skip]")];
    all.forEach((b) => (b.disabled = true));
    setStatus("Moving time on by 1 " + by + "…");
    try {
      const result = await request("POST", "/playground/clock", { skip: by });
      showNow(result.now);
      setStatus("Skipped ahead 1 " + by + ". It is now " + $("now").textContent + ".");
    } catch (error) {
      setStatus(error.message);
    } finally {
      all.forEach((b) => (b.disabled = false));
    }
  }

  async function loadDemo(button) {
    button.disabled = true;
    setStatus("Loading the demo…");
    try {
      const result = await request("POST", "/playground/demo", {});
      setStatus(result.message);
      button.textContent = "Load the demo again";
    } catch (error) {
      setStatus(error.message);
    } finally {
      button.disabled = false;
    }
  }

  async function sendCommand(event) {
    event.preventDefault();
    const input = $("command");
    const text = input.value.trim();
    if (!text) return;
    const submit = event.target.querySelector('button[type="submit"]');
    submit.disabled = true;
    try {
      const place = view.place === "direct" ? { kind: "direct" } : { kind: "channel", channel: view.place.slice(8) };
      const result = await request("POST", "/playground/command", { persona: view.persona.key, place, text, eventId: newId() });
      input.value = "";
      showResult(result);
    } catch (error) {
      setStatus(error.message);
    } finally {
      submit.disabled = false;
      input.focus();
    }
  }

  function listen() {
    const source = new EventSource("/playground/events");
    let broken = false;
    source.addEventListener("entry", (event) => upsert(JSON.parse(event.data)));
    source.addEventListener("removed", (event) => removeEntries(JSON.parse(event.data).ids));
    source.addEventListener("clock", (event) => showNow(JSON.parse(event.data).now));
    source.addEventListener("demo", () => ($("load-demo").textContent = "Load the demo again"));
    source.addEventListener("error", () => (broken = true));
    source.addEventListener("open", () => {
      if (broken) {
        broken = false;
        void loadPlace();
      }
    });
  }

  async function start() {
    const state = await request("GET", "/playground/state");
    view.personas = state.personas;
    view.people = state.people || [];
    view.channels = state.channels;
    view.canSkip = state.canSkip;
    const chosen = readHash();
    view.persona = chosen.persona;
    view.place = chosen.place;
    showNow(state.now);
    setInterval(renderNow, 30_000);
    renderPersonas();
    if (!state.canSkip) {
      document.querySelectorAll("[data-skip]").forEach((b) => (b.disabled = true));
      $("skips").after(el("p", { class: "hint", text: "Time cannot be moved on here." }));
    }
    document.querySelectorAll("[data-skip]").forEach((b) => b.addEventListener("click", () => skip(b)));
    $("load-demo").addEventListener("click", (event) => loadDemo(event.currentTarget));
    if (state.demoLoaded) $("load-demo").textContent = "Load the demo again";
    $("composer").addEventListener("submit", sendCommand);
    writeHash();
    await loadPlace();
    listen();
    document.body.dataset.ready = "true";
  }

  start().catch((error) => setStatus("The playground could not start: " + error.message));
})();
